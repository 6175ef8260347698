/**
 * Reads a `text/event-stream` body (the WHATWG Server-Sent Events format) into events, for
 * `invoice watch`. Enough of the format for any conforming server: `event`, multi-line
 * `data`, `id`, comments, and CR / LF / CRLF line ends split anywhere across chunks.
 */

export interface ServerSentEvent {
  /** `message` when the server names none. */
  event: string;
  data: string;
  id?: string;
}

export async function* readServerSentEvents(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  let pendingCr = false;
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    // a CR at the end of a chunk may be the first half of a CRLF
    if (pendingCr && buffer.startsWith('\n')) buffer = buffer.slice(1);
    pendingCr = false;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      const line = buffer.slice(start, i);
      if (c === '\r') {
        if (i + 1 < buffer.length) {
          if (buffer[i + 1] === '\n') i++;
        } else {
          pendingCr = true;
        }
      }
      start = i + 1;
      if (line === '') {
        if (data.length > 0) {
          yield {
            event: event || 'message',
            data: data.join('\n'),
            ...(id !== undefined ? { id } : {}),
          };
        }
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    buffer = buffer.slice(start);
  }
}
