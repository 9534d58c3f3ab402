import { ModelError } from '../../core/model/errors';

/**
 * A proxy or a wrong URL often answers 200 with an HTML page. Without this check the SDK would read
 * it as an empty stream; instead the run fails fast and names the URL to fix.
 */
export function assertEventStream(response: Response, url: string): void {
  const type = response.headers.get('content-type') ?? '';
  if (!/text\/event-stream/i.test(type)) {
    const what = type ? `"${type.split(';')[0]}"` : 'no content type';
    throw new ModelError({
      kind: 'protocol',
      message: `the gateway at ${url} answered with ${what} instead of an event stream; check that the URL points at an OpenAI- or Anthropic-compatible API`,
      url,
      status: response.status,
    });
  }
}
