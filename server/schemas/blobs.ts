import { z } from 'zod';
import { hash32, uint } from './common.ts';

export const blobParams = z.strictObject({ sha256: hash32 });
export const putBlobResponse = z.object({ sha256: hash32, size: uint, created: z.boolean() });
