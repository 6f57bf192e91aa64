export type { ClosedFormGame } from './closed-form.ts';
export { additiveGame } from './additive.ts';
export { airportGame } from './airport.ts';
export { withDummies } from './dummy.ts';
export { gloveGame } from './glove.ts';
export { majorityGame, symmetricGame } from './symmetric.ts';
