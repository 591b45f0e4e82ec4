import { createPrng, randomInt, type Prng } from "../../src/lib/onnx/prng.ts";

/**
 * Procedurally generated rhyming verse: titled poems of quatrains (AABB or ABAB) whose lines
 * pair an opening phrase with a rhyming close. Word lists written for this repository; no
 * third-party text.
 */
const RHYMES: string[][] = [
  [
    "beneath the night",
    "in silver light",
    "the stars are bright",
    "the birds in flight",
    "the hills are white",
    "till morning light",
  ],
  ["across the sea", "the old oak tree", "to set me free", "the hum of bee", "as it should be", "come home to me"],
  ["at close of day", "and slips away", "the skies are gray", "the month of May", "along the way", "and cannot stay"],
  ["across the sky", "the wind goes by", "the swallows fly", "and wonder why", "the clouds are high", "the owls reply"],
  ["beneath the moon", "a quiet tune", "the end of June", "the summer noon", "and fade too soon", "the long lagoon"],
  ["the falling rain", "the open plain", "the winding lane", "and home again", "the golden grain", "the window pane"],
  [
    "a simple song",
    "the whole day long",
    "where we belong",
    "the river strong",
    "and drift along",
    "the bells' ding-dong",
  ],
  ["within my heart", "a world apart", "the baker's cart", "before we part", "a brand new start", "the painter's art"],
  [
    "the ancient stone",
    "the seeds are sown",
    "I walk alone",
    "the fields have grown",
    "the wind has blown",
    "a world unknown",
  ],
  [
    "the evening fire",
    "the village choir",
    "the old church spire",
    "my heart's desire",
    "the climbing briar",
    "and never tire",
  ],
  [
    "the morning dew",
    "the sky so blue",
    "the whole world new",
    "a friend so true",
    "the long night through",
    "the distant view",
  ],
  [
    "the snow and sleet",
    "the busy street",
    "the summer heat",
    "the fields of wheat",
    "our hearts that beat",
    "the fire's heat",
  ],
];

const OPENERS = [
  "The {adj} {noun} {verb}",
  "And all the {noun}s {verb2}",
  "I heard the {noun} {verb2}",
  "O {adj} {noun}, you {verb2}",
  "When {adj} {noun}s {verb2}",
  "The {noun} and {noun} {verb2}",
  "So softly {verb3}",
  "Where {adj} {noun}s {verb2}",
  "My {adj} {noun} {verb}",
  "How {adj} the {noun} {verb}",
];
const ADJECTIVES = [
  "quiet",
  "golden",
  "silver",
  "gentle",
  "lonely",
  "ancient",
  "distant",
  "wild",
  "weary",
  "tender",
  "bright",
  "dark",
  "little",
  "green",
];
const NOUNS = [
  "river",
  "willow",
  "sparrow",
  "meadow",
  "shepherd",
  "candle",
  "harbor",
  "mountain",
  "garden",
  "maiden",
  "lantern",
  "wanderer",
  "robin",
  "valley",
];
const VERBS = [
  "wanders on",
  "sings alone",
  "sleeps and dreams",
  "turns to gold",
  "waits for spring",
  "calls to me",
  "bends and sighs",
  "glows and fades",
];
const VERBS2 = [
  "wander on",
  "sing alone",
  "sleep and dream",
  "turn to gold",
  "wait for spring",
  "call to me",
  "bend and sigh",
  "glow and fade",
];
const VERBS3 = [
  "the waters run",
  "the shadows fall",
  "the bells are rung",
  "the children play",
  "the breezes blow",
  "the flowers close",
];
const TITLE_WORDS = ["Song", "Evening", "Morning", "Ballad", "Hymn", "Lament", "Dream", "Voyage", "Return", "Lullaby"];

function pick<T>(rng: Prng, items: readonly T[]): T {
  return items[randomInt(rng, items.length)] as T;
}

function opener(rng: Prng): string {
  return pick(rng, OPENERS).replace(/\{(\w+)\}/g, (_, slot: string) => {
    if (slot === "adj") return pick(rng, ADJECTIVES);
    if (slot === "noun") return pick(rng, NOUNS);
    if (slot === "verb") return pick(rng, VERBS);
    if (slot === "verb2") return pick(rng, VERBS2);
    return pick(rng, VERBS3);
  });
}

/** Two distinct closes from one rhyme family. */
function rhymingPair(rng: Prng): [string, string] {
  const family = pick(rng, RHYMES);
  const first = pick(rng, family);
  let second = pick(rng, family);
  while (second === first) second = pick(rng, family);
  return [first, second];
}

function stanza(rng: Prng): string {
  const [a1, a2] = rhymingPair(rng);
  const [b1, b2] = rhymingPair(rng);
  const closes = randomInt(rng, 2) === 0 ? [a1, a2, b1, b2] : [a1, b1, a2, b2];
  const lines = closes.map((close, i) => `${opener(rng)} ${close}${i === 3 ? "." : ","}`);
  return lines.join("\n");
}

function poem(rng: Prng): string {
  const title = `${pick(rng, TITLE_WORDS)} of the ${capitalize(pick(rng, NOUNS))}`;
  const stanzas = Array.from({ length: 2 + randomInt(rng, 3) }, () => stanza(rng));
  return `${title.toUpperCase()}\n\n${stanzas.join("\n\n")}`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Poems separated by three newlines until the text reaches `targetChars`. */
export function generateVerse(seed: number, targetChars: number): string {
  const rng = createPrng(seed);
  const parts: string[] = [];
  let length = 0;
  while (length < targetChars) {
    const p = poem(rng);
    parts.push(p);
    length += p.length + 3;
  }
  return parts.join("\n\n\n") + "\n";
}
