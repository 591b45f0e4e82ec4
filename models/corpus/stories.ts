import { createPrng, randomInt, type Prng } from "../../src/lib/onnx/prng.ts";

/**
 * Procedurally generated children's stories: short tales built from sentence templates and
 * word lists written for this repository. Written by the HEXS authors, no third-party text.
 */
const NAMES = [
  "Tom",
  "Lily",
  "Sam",
  "Mia",
  "Ben",
  "Anna",
  "Max",
  "Lucy",
  "Jack",
  "Rosa",
  "Leo",
  "Ella",
  "Finn",
  "Nora",
];
const ANIMALS = ["cat", "dog", "rabbit", "fox", "bird", "frog", "mouse", "bear", "duck", "owl", "pony", "turtle"];
const ADJECTIVES = [
  "little",
  "small",
  "happy",
  "brave",
  "shy",
  "kind",
  "curious",
  "sleepy",
  "clever",
  "tiny",
  "big",
  "silly",
];
const PLACES = [
  "park",
  "garden",
  "forest",
  "river",
  "farm",
  "beach",
  "house",
  "hill",
  "meadow",
  "pond",
  "school",
  "town",
];
const OBJECTS = [
  "ball",
  "box",
  "hat",
  "kite",
  "key",
  "shell",
  "stick",
  "cup",
  "boat",
  "book",
  "drum",
  "flower",
  "coin",
  "rope",
];
const COLORS = ["red", "blue", "green", "yellow", "shiny", "soft", "old", "round", "bright", "pink"];
const ACTIVITIES = [
  "play",
  "run",
  "jump",
  "sing",
  "swim",
  "dig",
  "climb trees",
  "read books",
  "draw pictures",
  "dance",
];
const FEELINGS = ["happy", "sad", "scared", "excited", "tired", "proud", "surprised", "hungry"];
const FOODS = ["apples", "cake", "soup", "bread", "carrots", "cookies", "berries", "honey"];
const EXCLAIMS = ["Look at this!", "Wow!", "Oh no!", "Hooray!", "Can you help me?", "What is that?", "Let's go!"];

interface Cast {
  hero: string;
  friend: string;
  kind: string;
  adj: string;
  place: string;
  thing: string;
  color: string;
}

type Line = (c: Cast, r: Prng) => string;

const OPENINGS: Line[] = [
  (c) => `Once upon a time, there was ${an(c.adj)} ${c.kind} named ${c.hero}.`,
  (c) => `One day, ${an(c.adj)} ${c.kind} called ${c.hero} woke up early.`,
  (c) => `${c.hero} was ${an(c.adj)} ${c.kind} who lived near the ${c.place}.`,
  (c) => `There once was a ${c.kind} named ${c.hero}. ${c.hero} was very ${c.adj}.`,
];

/** The plot, in order: each slot offers alternatives, and an empty string skips the slot. */
const PLOT: Line[][] = [
  [
    (c, r) => `${c.hero} liked to ${pick(r, ACTIVITIES)} in the ${c.place}.`,
    (c, r) => `The sun was warm and the sky was ${pick(r, ["blue", "clear", "bright", "pink"])}.`,
    () => "",
  ],
  [
    (c) => `One day, ${c.hero} found ${an(c.color)} ${c.thing} near the ${c.place}.`,
    (c) => `${c.hero} saw ${an(c.color)} ${c.thing} under a big tree.`,
  ],
  [(c, r) => `"${pick(r, EXCLAIMS)}" said ${c.hero}.`, () => ""],
  [
    (c, r) =>
      `${c.hero} showed the ${c.thing} to ${c.friend}. ${c.friend} felt ${pick(r, FEELINGS)} and asked, "Can I play with it too?"`,
    (c) => `${c.friend} came to see the ${c.thing}. "It is so ${c.color}!" said ${c.friend}.`,
  ],
  [
    (c, r) =>
      `But then the ${c.thing} fell into the ${wet(c.place)}. ${c.hero} was ${pick(r, FEELINGS)}. ${c.hero} did not know what to do. ${c.friend} had an idea. "Let us get it back together," said ${c.friend}. They worked hard and got the ${c.thing} back.`,
    (c) => `Mom said, "Be careful, ${c.hero}." ${c.hero} said, "I will, I promise."`,
    () => "",
  ],
  [
    (c) => `"Yes, we can share it," said ${c.hero}. They played together all day.`,
    (c, r) => `They ate ${pick(r, FOODS)} and talked about the ${c.thing}.`,
  ],
];

const ENDINGS: Line[] = [
  (c) => `In the end, ${c.hero} and ${c.friend} were best friends. They were very happy.`,
  (c) => `${c.hero} learned that sharing is fun. The end.`,
  (c) => `That night, ${c.hero} went to bed with a big smile.`,
  (c) => `${c.hero} put the ${c.thing} in a safe place and went home.`,
  (c, r) => `From that day on, ${c.hero} was never ${pick(r, ["scared", "sad", "alone", "bored"])} again.`,
];

function pick<T>(rng: Prng, items: readonly T[]): T {
  return items[randomInt(rng, items.length)] as T;
}

function an(word: string): string {
  return (/^[aeiou]/.test(word) ? "an " : "a ") + word;
}

function wet(place: string): string {
  return place === "river" || place === "pond" ? place : "mud";
}

function story(rng: Prng): string {
  const hero = pick(rng, NAMES);
  let friend = pick(rng, NAMES);
  while (friend === hero) friend = pick(rng, NAMES);
  const cast: Cast = {
    hero,
    friend,
    kind: pick(rng, ANIMALS),
    adj: pick(rng, ADJECTIVES),
    place: pick(rng, PLACES),
    thing: pick(rng, OBJECTS),
    color: pick(rng, COLORS),
  };
  const sentences = [pick(rng, OPENINGS)(cast, rng)];
  for (const slot of PLOT) sentences.push(pick(rng, slot)(cast, rng));
  sentences.push(pick(rng, ENDINGS)(cast, rng));
  return sentences.filter((s) => s !== "").join(" ");
}

/** Stories separated by blank lines until the text reaches `targetChars`. */
export function generateStories(seed: number, targetChars: number): string {
  const rng = createPrng(seed);
  const parts: string[] = [];
  let length = 0;
  while (length < targetChars) {
    const s = story(rng);
    parts.push(s);
    length += s.length + 2;
  }
  return parts.join("\n\n") + "\n";
}
