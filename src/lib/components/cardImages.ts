// Images of a sanitized model card: the sanitizer leaves them without a source, so that merely
// viewing a card sends no request anywhere. An `ipfs://` image is read through the verified
// reader (only the bytes its CID names can show); an external one loads only after the
// reader asks for it, since the request tells its host who looked at the card and when.
import {
  EXTERNAL_IMAGE_ATTRIBUTE,
  IPFS_IMAGE_ATTRIBUTE,
  parseIpfsImage,
  sniffImageType,
} from "#lib/content/cardHtml.ts";
import { describeError } from "#lib/chain/walletErrors.ts";
import { verifiedRead } from "#lib/ipfs/fetch.ts";
import { settings } from "#lib/state/settings.svelte.ts";

const IMAGE_READ_TIMEOUT_MS = 15_000;

/** Svelte action on the element holding a card's HTML; `html` is only there to re-run on change. */
export function cardImages(container: HTMLElement, html: string) {
  let urls: string[] = [];
  let controller = new AbortController();
  const resolve = () => {
    for (const image of container.querySelectorAll<HTMLImageElement>(`img[${IPFS_IMAGE_ATTRIBUTE}]`))
      void showIpfsImage(image, controller.signal).then((url) => url && urls.push(url));
    for (const image of container.querySelectorAll<HTMLImageElement>(`img[${EXTERNAL_IMAGE_ATTRIBUTE}]`))
      askBeforeLoading(image);
  };
  const release = () => {
    controller.abort();
    for (const url of urls) URL.revokeObjectURL(url);
    urls = [];
    controller = new AbortController();
  };
  void html;
  resolve();
  return {
    update() {
      release();
      resolve();
    },
    destroy: release,
  };
}

async function showIpfsImage(image: HTMLImageElement, signal: AbortSignal): Promise<string | undefined> {
  const source = image.getAttribute(IPFS_IMAGE_ATTRIBUTE) ?? "";
  const target = parseIpfsImage(source);
  if (!target) return undefined;
  try {
    const bytes = await verifiedRead(target.cid, {
      ...target,
      gateways: settings.current.ipfsGateways,
      signal: AbortSignal.any([signal, AbortSignal.timeout(IMAGE_READ_TIMEOUT_MS)]),
    });
    const type = sniffImageType(bytes);
    if (!type) throw new Error(`${source} is not a PNG, JPEG, GIF or WebP image`);
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
    image.src = url;
    return url;
  } catch (error) {
    if (signal.aborted) return undefined;
    image.alt = `${image.alt ? `${image.alt}: ` : ""}image not shown (${describeError(error)})`;
    return undefined;
  }
}

function askBeforeLoading(image: HTMLImageElement): void {
  const source = image.getAttribute(EXTERNAL_IMAGE_ATTRIBUTE) ?? "";
  const host = new URL(source).host;
  const consent = document.createElement("button");
  consent.type = "button";
  consent.className = "card-image-consent";
  consent.textContent = `Show image${image.alt ? ` “${image.alt}”` : ""} from ${host}`;
  consent.title = `Loading it tells ${host} that you viewed this card`;
  image.hidden = true;
  image.before(consent);
  consent.addEventListener(
    "click",
    () => {
      image.src = source;
      image.hidden = false;
      consent.remove();
    },
    { once: true },
  );
}
