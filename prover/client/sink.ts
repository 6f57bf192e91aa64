/**
 * Sends entries to the service: the true state blob first (private, trainer-signed grant), then
 * the signed entry, so an acknowledged entry always has its state stored (DESIGN §3 "an entry is
 * acknowledged only after its row and blobs are durable").
 */
import type { EntrySink, RecordedEntry } from '../train/recorder.ts';
import type { Signer } from '../signer.ts';
import type { FlagstoneClient } from './http.ts';

export class HttpSink implements EntrySink {
  constructor(
    private readonly api: FlagstoneClient,
    private readonly trainer: Signer,
  ) {}

  async append(rec: RecordedEntry): Promise<void> {
    await this.api.putState(rec.entry.jobId, rec.entry.index, rec.stateBlob, this.trainer);
    const res = await this.api.appendEntry(rec.entry.jobId, rec.entry, rec.signature);
    if (res.leafHash !== rec.leafHash) {
      throw new Error(
        `service computed leaf ${res.leafHash} for entry ${rec.entry.index}, trainer ${rec.leafHash}`,
      );
    }
  }
}
