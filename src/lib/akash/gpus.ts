// The GPUs providers offer, as they publish them on chain: attributes
// `capabilities/gpu/vendor/<vendor>/model/<model>[/ram/<size>][/interface/<pcie|sxm>]` = "true",
// the model in lower case (akash-network/provider's inventory naming). Grouped per kind of card,
// with how many providers offer it, for a picker like Akash Console's.

export type GpuVendor = "nvidia" | "amd";

export interface GpuKind {
  vendor: GpuVendor;
  /** Lower case, as providers publish it: "a100", "rtx4090", "mi300x". */
  model: string;
  /** Memory per card, e.g. "80Gi", when the provider says. */
  ram?: string;
  /** "pcie" or "sxm", when the provider says. */
  interface?: string;
}

export interface GpuOffer extends GpuKind {
  /** Providers whose attributes name this kind of card. */
  providers: string[];
}

const GPU_ATTRIBUTE =
  /^capabilities\/gpu\/vendor\/(nvidia|amd)\/model\/([^/]+)(?:\/ram\/([^/]+))?(?:\/interface\/([^/]+))?$/;

/** A provider's cards, most specific description of each model only (its ram and interface when given). */
export function providerGpus(attributes: { key: string; value: string }[]): GpuKind[] {
  const kinds = new Map<string, GpuKind>();
  for (const { key, value } of attributes) {
    const match = GPU_ATTRIBUTE.exec(key);
    if (!match || value !== "true") continue;
    const [, vendor, model, ram, iface] = match as unknown as [string, GpuVendor, string, string?, string?];
    const id = `${vendor}/${model.toLowerCase()}`;
    const known = kinds.get(id);
    kinds.set(id, {
      vendor,
      model: model.toLowerCase(),
      ...((ram ?? known?.ram) ? { ram: ram ?? known?.ram } : {}),
      ...((iface ?? known?.interface) ? { interface: (iface ?? known?.interface)!.toLowerCase() } : {}),
    });
  }
  return [...kinds.values()];
}

/** Every kind of card the providers offer, with who offers it; NVIDIA then AMD, models by name. */
export function gpuOffers(providers: { owner: string; attributes: { key: string; value: string }[] }[]): GpuOffer[] {
  const offers = new Map<string, GpuOffer>();
  for (const provider of providers) {
    for (const kind of providerGpus(provider.attributes)) {
      const id = [kind.vendor, kind.model, kind.ram ?? "", kind.interface ?? ""].join("/");
      const offer = offers.get(id) ?? { ...kind, providers: [] };
      offer.providers.push(provider.owner);
      offers.set(id, offer);
    }
  }
  const vendorRank = (vendor: GpuVendor) => (vendor === "nvidia" ? 0 : 1);
  return [...offers.values()].sort(
    (a, b) =>
      vendorRank(a.vendor) - vendorRank(b.vendor) ||
      a.model.localeCompare(b.model) ||
      (a.ram ?? "").localeCompare(b.ram ?? ""),
  );
}

/** "NVIDIA A100 80Gi SXM" */
export function gpuLabel(kind: GpuKind): string {
  return [
    kind.vendor === "nvidia" ? "NVIDIA" : "AMD",
    kind.model.toUpperCase(),
    kind.ram,
    kind.interface?.toUpperCase(),
  ]
    .filter(Boolean)
    .join(" ");
}
