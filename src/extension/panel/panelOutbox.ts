import type { Redactor } from '../../core/trace/redact';
import type { HostMessage } from '../../shared/protocol';

/**
 * The one way out to the webview. Everything the panel shows passes the gateway's redactor first:
 * model text, tool output and error messages can all echo a key (a proxy's error page, a model that
 * repeats a header), and the webview is the less trusted side.
 */
export class PanelOutbox {
  constructor(
    private readonly send: (msg: HostMessage) => void,
    private readonly redactor: () => Redactor,
  ) {}

  post(msg: HostMessage): void {
    this.send(this.redactor()(msg));
  }
}
