/**
 * Scoring and sampling text with a trained charlm (the copyright utility's log p_θ(x)). A text
 * is tokenised exactly like a movie title in training — [BOS, characters…, EOS] cut to
 * context + 1 tokens, PAD after — so log p_θ(x) is the model's probability of the very token
 * sequence a training example would have been. Scoring reuses the prover's `evaluate` (mean
 * loss per predicted token) times the number of predicted tokens; sampling runs the model's
 * forward pass autoregressively with a seeded valuation RNG, so outputs are reproducible.
 */
import * as tf from '@tensorflow/tfjs';
import type { TextExamples } from '../../prover/data/examples.ts';
import { BOS, EOS, PAD, UNK, type CharVocab } from '../../prover/data/movies.ts';
import { evaluate } from '../../prover/train/evaluate.ts';
import type { Trainer } from '../../prover/train/trainer.ts';
import { InvalidInputError } from '../errors.ts';
import type { Rng } from '../rng.ts';

/** Tokens of `text` as a training example: [BOS, chars…, EOS] cut to seqLen, PAD-filled. */
export function encodeText(text: string, vocab: CharVocab, seqLen: number): Int32Array {
  const out = new Int32Array(seqLen); // PAD = 0
  out.set([BOS, ...Array.from(text, (c) => vocab.encode(c)), EOS].slice(0, seqLen));
  return out;
}

/** A one-example text data set (the shape `evaluate` takes). */
function single(tokens: Int32Array, vocabSize: number): TextExamples {
  return { kind: 'text', count: 1, seqLen: tokens.length, vocabSize, tokens, owners: ['output'] };
}

/** ln p_θ(tokens): the sum over predicted (non-PAD) tokens of ln p(token | prefix), in nats. */
export async function logProbability(trainer: Trainer, tokens: Int32Array): Promise<number> {
  const data = trainer.data.train;
  if (data.kind !== 'text' || tokens.length !== data.seqLen) {
    throw new InvalidInputError('text does not fit the model', {
      details: `got ${tokens.length} tokens, want a charlm with seqLen ${data.kind === 'text' ? data.seqLen : '—'}`,
    });
  }
  let predicted = 0;
  for (let t = 1; t < tokens.length; t++) if (tokens[t] !== PAD) predicted++;
  const ev = await evaluate(trainer, single(tokens, data.vocabSize));
  return -ev.loss * predicted;
}

/** Samples one text from the model (temperature 1; PAD, BOS and UNK are never drawn). */
export async function sampleText(trainer: Trainer, vocab: CharVocab, rng: Rng): Promise<string> {
  const data = trainer.data.train;
  if (data.kind !== 'text') throw new InvalidInputError('sampling needs a charlm');
  const T = data.seqLen - 1;
  const inputs = new Int32Array(T);
  inputs[0] = BOS;
  const params = trainer.paramMap();
  let text = '';
  for (let t = 0; t < T; t++) {
    const probs = tf.tidy(() => {
      const logits = trainer.model.logits(params, tf.tensor2d(inputs, [1, T], 'int32'));
      return tf.softmax(tf.slice(logits, [t, 0], [1, data.vocabSize]));
    });
    const p = Float64Array.from(await probs.data());
    probs.dispose();
    p[PAD] = 0;
    p[BOS] = 0;
    p[UNK] = 0;
    const token = draw(p, rng);
    if (token === EOS) break;
    text += vocab.decode(token);
    if (t + 1 < T) inputs[t + 1] = token;
  }
  return text;
}

/** Inverse-CDF draw from unnormalised weights. */
function draw(weights: Float64Array, rng: Rng): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng.float() * total;
  let last = 0;
  for (let i = 0; i < weights.length; i++) {
    if (weights[i]! <= 0) continue;
    last = i;
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return last;
}
