// The demo models in the Hugging Face layout, as a `GPT2LMHeadModel` (model_type "gpt2"): the
// architecture of models/train/model.ts is GPT-2's — learned positions, pre-norm blocks, one
// fused QKV projection, GELU (tanh form), a final LayerNorm and an output projection without
// bias — so its weights map one to one onto transformers' `GPT2LMHeadModel` state dict
// (transformers/models/gpt2/modeling_gpt2.py). GPT-2's `Conv1D` stores weights `[in, out]`, as
// model.ts does; only `lm_head` (an `nn.Linear`, `[out, in]`) is transposed.
import type { Float32Entry } from "../../src/lib/hf/safetensors.ts";
import type { ModelConfig } from "../../src/lib/onnx/tokenizer.ts";
import { LAYER_NORM_EPSILON, type Parameters } from "../train/model.ts";
import { NORMALIZATION, UNK, VOCAB } from "../vocab.ts";

/** HEXS parameter name → the `GPT2LMHeadModel` name, for every parameter but the output projection. */
export function gpt2Name(name: string): string {
  const block = /^blocks\.(\d+)\.(.+)$/.exec(name);
  if (!block) {
    const top: Record<string, string> = {
      "tok_emb.weight": "transformer.wte.weight",
      "pos_emb.weight": "transformer.wpe.weight",
      "ln_f.weight": "transformer.ln_f.weight",
      "ln_f.bias": "transformer.ln_f.bias",
    };
    const mapped = top[name];
    if (!mapped) throw new Error(`no GPT-2 name for ${name}`);
    return mapped;
  }
  const inBlock: Record<string, string> = {
    "ln1.weight": "ln_1.weight",
    "ln1.bias": "ln_1.bias",
    "attn.qkv.weight": "attn.c_attn.weight",
    "attn.qkv.bias": "attn.c_attn.bias",
    "attn.proj.weight": "attn.c_proj.weight",
    "attn.proj.bias": "attn.c_proj.bias",
    "ln2.weight": "ln_2.weight",
    "ln2.bias": "ln_2.bias",
    "mlp.fc.weight": "mlp.c_fc.weight",
    "mlp.fc.bias": "mlp.c_fc.bias",
    "mlp.proj.weight": "mlp.c_proj.weight",
    "mlp.proj.bias": "mlp.c_proj.bias",
  };
  const mapped = inBlock[block[2]!];
  if (!mapped) throw new Error(`no GPT-2 name for ${name}`);
  return `transformer.h.${block[1]}.${mapped}`;
}

/** The model's weights as `GPT2LMHeadModel` names and shapes, in the model's parameter order. */
export function gpt2StateDict(params: Parameters): Float32Entry[] {
  const entries: Float32Entry[] = [];
  for (const [name, t] of params) {
    if (name !== "lm_head.weight") {
      entries.push({ name: gpt2Name(name), shape: t.shape, data: t.data });
      continue;
    }
    const [d, v] = t.shape as [number, number];
    const transposed = new Float32Array(v * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < v; j++) transposed[j * d + i] = t.data[i * v + j]!;
    entries.push({ name: "lm_head.weight", shape: [v, d], data: transposed });
  }
  return entries;
}

/** `config.json`: a `GPT2Config` that transformers and transformers.js both read. */
export function gpt2Config(config: ModelConfig) {
  return {
    architectures: ["GPT2LMHeadModel"],
    model_type: "gpt2",
    vocab_size: config.vocabSize,
    n_positions: config.contextLength,
    n_embd: config.dModel,
    n_layer: config.nLayers,
    n_head: config.nHeads,
    n_inner: config.dFf,
    activation_function: "gelu_new",
    layer_norm_epsilon: LAYER_NORM_EPSILON,
    initializer_range: 0.02,
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    scale_attn_weights: true,
    // The output projection was trained apart from the token embedding.
    tie_word_embeddings: false,
    // The character vocabulary has no beginning- or end-of-text token: generation runs to its length.
    bos_token_id: null,
    eos_token_id: null,
    use_cache: true,
    torch_dtype: "float32",
  };
}

/** `generation_config.json`: sampling as the playground defaults to, bounded by the context. */
export function generationConfig(config: ModelConfig) {
  return { do_sample: true, temperature: 0.8, top_p: 0.95, max_length: config.contextLength };
}

/**
 * `tokenizer.json` in the `tokenizers` format: a BPE model with the shared character vocabulary
 * and no merges, so every character is its own token and one outside the vocabulary is `<unk>`;
 * the typographic rewrites as `Replace` normalizers; a `Fuse` decoder, so tokens join without
 * spaces. Python `tokenizers` and transformers.js read it alike.
 */
export function tokenizerJson() {
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: VOCAB.indexOf(UNK),
        content: UNK,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      },
    ],
    normalizer: {
      type: "Sequence",
      normalizers: NORMALIZATION.map(([from, to]) => ({ type: "Replace", pattern: { String: from }, content: to })),
    },
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: "Fuse" },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: UNK,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(VOCAB.map((token, id) => [token, id])),
      merges: [],
    },
  };
}

/** `tokenizer_config.json`: a fast tokenizer, without the space clean-up meant for word-level text. */
export function tokenizerConfig(config: ModelConfig) {
  return {
    tokenizer_class: "PreTrainedTokenizerFast",
    unk_token: UNK,
    model_max_length: config.contextLength,
    clean_up_tokenization_spaces: false,
    added_tokens_decoder: {
      [VOCAB.indexOf(UNK)]: {
        content: UNK,
        lstrip: false,
        normalized: false,
        rstrip: false,
        single_word: false,
        special: true,
      },
    },
  };
}

/** `special_tokens_map.json`. */
export function specialTokensMap() {
  return { unk_token: UNK };
}
