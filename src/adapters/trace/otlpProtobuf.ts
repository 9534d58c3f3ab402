/**
 * The protobuf wire encoding of an OTLP ExportTraceServiceRequest (opentelemetry-proto,
 * collector/trace/v1), for `OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`. The product only ever sends
 * finished spans with primitive attributes, so this is the handful of messages that takes, encoded by
 * field number, instead of protobufjs and generated code in the extension bundle.
 */
export type AttrValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
export interface KeyValue {
  key: string;
  value: AttrValue;
}

export interface SpanMessage {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  status: { code: number; message?: string };
}

export interface ExportRequest {
  resourceAttributes: KeyValue[];
  scope: { name: string; version?: string };
  spans: SpanMessage[];
}

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;

class Writer {
  private chunks: number[] = [];

  tag(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }

  varint(v: bigint): void {
    let x = BigInt.asUintN(64, v);
    while (x >= 0x80n) {
      this.chunks.push(Number((x & 0x7fn) | 0x80n));
      x >>= 7n;
    }
    this.chunks.push(Number(x));
  }

  fixed64(v: bigint): void {
    let x = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++) {
      this.chunks.push(Number(x & 0xffn));
      x >>= 8n;
    }
  }

  double(v: number): void {
    const b = new DataView(new ArrayBuffer(8));
    b.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.chunks.push(b.getUint8(i));
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, LEN);
    this.varint(BigInt(data.length));
    for (const byte of data) this.chunks.push(byte);
  }

  string(field: number, s: string): void {
    this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, build: (w: Writer) => void): void {
    const inner = new Writer();
    build(inner);
    this.bytes(field, inner.finish());
  }

  uint(field: number, v: number | bigint): void {
    this.tag(field, VARINT);
    this.varint(BigInt(v));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

function keyValue(w: Writer, kv: KeyValue): void {
  w.string(1, kv.key);
  w.message(2, (v) => {
    const x = kv.value;
    if ('stringValue' in x) v.string(1, x.stringValue);
    else if ('boolValue' in x) v.uint(2, x.boolValue ? 1 : 0);
    else if ('intValue' in x) v.uint(3, BigInt(x.intValue));
    else {
      v.tag(4, FIXED64);
      v.double(x.doubleValue);
    }
  });
}

function span(w: Writer, s: SpanMessage): void {
  w.bytes(1, hex(s.traceId));
  w.bytes(2, hex(s.spanId));
  if (s.parentSpanId) w.bytes(4, hex(s.parentSpanId));
  w.string(5, s.name);
  w.uint(6, s.kind);
  w.tag(7, FIXED64);
  w.fixed64(BigInt(s.startTimeUnixNano));
  w.tag(8, FIXED64);
  w.fixed64(BigInt(s.endTimeUnixNano));
  for (const a of s.attributes) w.message(9, (m) => keyValue(m, a));
  w.message(15, (st) => {
    if (s.status.message) st.string(2, s.status.message);
    if (s.status.code) st.uint(3, s.status.code);
  });
}

/** ExportTraceServiceRequest { resource_spans = 1 { resource = 1, scope_spans = 2 { scope = 1, spans = 2 } } }. */
export function encodeExportRequest(req: ExportRequest): Uint8Array {
  const w = new Writer();
  w.message(1, (rs) => {
    rs.message(1, (res) => {
      for (const a of req.resourceAttributes) res.message(1, (m) => keyValue(m, a));
    });
    rs.message(2, (ss) => {
      ss.message(1, (scope) => {
        scope.string(1, req.scope.name);
        if (req.scope.version) scope.string(2, req.scope.version);
      });
      for (const s of req.spans) ss.message(2, (m) => span(m, s));
    });
  });
  return w.finish();
}
