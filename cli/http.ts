/** JSON over fetch for CLI commands that talk to the service (the demo, `value audit`). */

/** Minimal JSON over fetch for routes the prover client has no method for. */
export class JsonHttp {
  constructor(readonly baseUrl: string) {}

  async get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('POST', path, body);
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new HttpStatusError(method, path, res.status, text);
    return JSON.parse(text) as T;
  }
}

export class HttpStatusError extends Error {
  override name = 'HttpStatusError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path} → ${status}: ${body.slice(0, 300)}`);
  }
}
