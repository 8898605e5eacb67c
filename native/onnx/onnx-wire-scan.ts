/**
 * A strict walk over the protobuf wire format of a model, before anything
 * decodes it. protobufjs (like most parsers) silently drops unknown fields,
 * keeps only the last copy of a repeated singular field and decodes invalid
 * UTF-8 leniently, while onnxruntime's C++ protobuf merges duplicate
 * sub-messages and may understand fields we do not. Each of those differences
 * would let a model show us one graph and the runtime another, so this scan
 * refuses them all: after it passes, our decoded view and the runtime's view of
 * the bytes are the same.
 */
import type protobuf from 'protobufjs';
import { KNOWN_UNSUPPORTED_FIELDS, ModelProtoType, onnxRoot } from './onnx-proto.ts';
import { type ModelRule, type Rejection, reject } from './validation-rules.ts';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

type FieldKind = 'message' | 'string' | 'bytes' | 'varint' | 'fixed32' | 'fixed64';

interface FieldInfo {
  readonly name: string;
  readonly kind: FieldKind;
  readonly isRepeated: boolean;
  readonly messageType: protobuf.Type | undefined;
}

const VARINT_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool']);
const FIXED32_TYPES = new Set(['float', 'fixed32', 'sfixed32']);
const FIXED64_TYPES = new Set(['double', 'fixed64', 'sfixed64']);

/**
 * onnx.proto's oneofs. Our schema leaves them as plain fields, so two members
 * set at once are caught here (parsers would keep only the last one).
 */
const ONEOF_FIELD_IDS: Readonly<Record<string, readonly number[]>> = {
  'onnx.TypeProto': [1, 4, 5, 7, 8, 9],
  'onnx.TensorShapeProto.Dimension': [1, 2],
};

onnxRoot.resolveAll();

const fieldTables = new Map<protobuf.Type, ReadonlyMap<number, FieldInfo>>();

function fieldKind(field: protobuf.Field): FieldKind {
  if (field.resolvedType && 'fieldsById' in field.resolvedType) return 'message';
  if (field.type === 'string') return 'string';
  if (field.type === 'bytes') return 'bytes';
  if (VARINT_TYPES.has(field.type) || field.resolvedType) return 'varint';
  if (FIXED32_TYPES.has(field.type)) return 'fixed32';
  if (FIXED64_TYPES.has(field.type)) return 'fixed64';
  throw new Error(`onnx schema field ${field.fullName} has unhandled type ${field.type}`);
}

function fieldTableOf(type: protobuf.Type): ReadonlyMap<number, FieldInfo> {
  const cached = fieldTables.get(type);
  if (cached) return cached;
  const table = new Map<number, FieldInfo>();
  for (const field of type.fieldsArray) {
    const kind = fieldKind(field);
    table.set(field.id, {
      name: field.name,
      kind,
      isRepeated: field.repeated,
      messageType: kind === 'message' ? (field.resolvedType as protobuf.Type) : undefined,
    });
  }
  fieldTables.set(type, table);
  return table;
}

function typeName(type: protobuf.Type): string {
  return type.fullName.replace(/^\./, '');
}

class WireError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A cursor over the bytes with its own bounds checks, so a lying length can never read past its message. */
class WireCursor {
  readonly bytes: Uint8Array;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /** A varint of at most 10 bytes, as a bigint (exact for every int64/uint64). */
  varint(end: number): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= end) throw new WireError(`varint runs past the end of its message at byte ${this.pos}`);
      const byte = this.bytes[this.pos++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new WireError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  skip(count: number, end: number): void {
    if (count < 0 || this.pos + count > end) {
      throw new WireError(`field at byte ${this.pos} claims ${count} bytes, past the end of its message`);
    }
    this.pos += count;
  }

  length(end: number): number {
    const length = this.varint(end);
    if (length > BigInt(end - this.pos)) {
      throw new WireError(`length ${length} at byte ${this.pos} runs past the end of its message (truncated?)`);
    }
    return Number(length);
  }
}

interface ScanContext {
  readonly cursor: WireCursor;
  readonly maxDepth: number;
}

type ScanRule = Extract<
  ModelRule,
  'onnx.parse' | 'onnx.unsupported_field' | 'onnx.duplicate_field' | 'onnx.message_depth'
>;

class ScanRejection extends Error {
  readonly rejection: Rejection<ScanRule>;
  constructor(rejection: Rejection<ScanRule>) {
    super(rejection.message);
    this.rejection = rejection;
  }
}

function scanMessage(context: ScanContext, type: protobuf.Type, end: number, depth: number, path: string): void {
  if (depth > context.maxDepth) {
    throw new ScanRejection(
      reject(
        'onnx.message_depth',
        `protobuf messages are nested more than ${context.maxDepth} levels deep (at ${path}).`,
      ),
    );
  }
  const { cursor } = context;
  const table = fieldTableOf(type);
  const seenSingular = new Set<number>();
  const oneofIds = ONEOF_FIELD_IDS[typeName(type)];
  let oneofSeen: number | undefined;
  while (cursor.pos < end) {
    const tagPos = cursor.pos;
    const tag = cursor.varint(end);
    if (tag > 0xffffffffn) throw new WireError(`tag out of range at byte ${tagPos}`);
    const fieldNumber = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (fieldNumber === 0) throw new WireError(`field number 0 at byte ${tagPos}`);
    const field = table.get(fieldNumber);
    if (!field) {
      const known = KNOWN_UNSUPPORTED_FIELDS[typeName(type)]?.[fieldNumber];
      const what = known ? `field ${fieldNumber} (${known})` : `unknown field ${fieldNumber}`;
      throw new ScanRejection(
        reject('onnx.unsupported_field', `${typeName(type)} ${what} at ${path} is not supported in jobs.`),
      );
    }
    const fieldPath = `${path}.${field.name}`;
    if (!field.isRepeated) {
      if (seenSingular.has(fieldNumber)) {
        throw new ScanRejection(
          reject(
            'onnx.duplicate_field',
            `${fieldPath} appears twice; parsers disagree on how to merge it, so the model is ambiguous.`,
          ),
        );
      }
      seenSingular.add(fieldNumber);
    }
    if (oneofIds?.includes(fieldNumber)) {
      if (oneofSeen !== undefined && oneofSeen !== fieldNumber) {
        throw new ScanRejection(
          reject(
            'onnx.duplicate_field',
            `${path} sets two alternatives of a oneof (fields ${oneofSeen} and ${fieldNumber}).`,
          ),
        );
      }
      oneofSeen = fieldNumber;
    }
    scanField(context, field, wireType, end, depth, fieldPath, tagPos);
  }
  if (cursor.pos !== end) throw new WireError(`message at ${path} overruns its length`);
}

function scanField(
  context: ScanContext,
  field: FieldInfo,
  wireType: number,
  end: number,
  depth: number,
  path: string,
  tagPos: number,
): void {
  const { cursor } = context;
  const wrongWire = () => new WireError(`${path} at byte ${tagPos} has wire type ${wireType}, not its schema's`);
  switch (field.kind) {
    case 'message': {
      if (wireType !== WIRE_LENGTH_DELIMITED || !field.messageType) throw wrongWire();
      const length = cursor.length(end);
      scanMessage(context, field.messageType, cursor.pos + length, depth + 1, path);
      return;
    }
    case 'string': {
      if (wireType !== WIRE_LENGTH_DELIMITED) throw wrongWire();
      const length = cursor.length(end);
      const start = cursor.pos;
      cursor.skip(length, end);
      assertUtf8(cursor.bytes.subarray(start, start + length), path);
      return;
    }
    case 'bytes': {
      if (wireType !== WIRE_LENGTH_DELIMITED) throw wrongWire();
      cursor.skip(cursor.length(end), end);
      return;
    }
    default:
      scanScalar(cursor, field, wireType, end, path, wrongWire);
  }
}

function scanScalar(
  cursor: WireCursor,
  field: FieldInfo,
  wireType: number,
  end: number,
  path: string,
  wrongWire: () => WireError,
): void {
  if (wireType === WIRE_LENGTH_DELIMITED && field.isRepeated) {
    // A packed run: every element must fit exactly inside the declared length.
    const length = cursor.length(end);
    const runEnd = cursor.pos + length;
    if (field.kind === 'varint') {
      while (cursor.pos < runEnd) cursor.varint(runEnd);
      return;
    }
    const width = field.kind === 'fixed32' ? 4 : 8;
    if (length % width !== 0)
      throw new WireError(`${path}: packed run of ${length} bytes is not a multiple of ${width}`);
    cursor.skip(length, end);
    return;
  }
  if (field.kind === 'varint' && wireType === WIRE_VARINT) {
    cursor.varint(end);
    return;
  }
  if (field.kind === 'fixed32' && wireType === WIRE_FIXED32) {
    cursor.skip(4, end);
    return;
  }
  if (field.kind === 'fixed64' && wireType === WIRE_FIXED64) {
    cursor.skip(8, end);
    return;
  }
  throw wrongWire();
}

function assertUtf8(bytes: Uint8Array, path: string): void {
  for (const byte of bytes) {
    if (byte >= 0x80) {
      try {
        utf8.decode(bytes);
      } catch {
        throw new WireError(`${path} is not valid UTF-8`);
      }
      return;
    }
  }
}

export type WireScanResult = { readonly ok: true } | Rejection<ScanRule>;

/**
 * Walks the bytes as an onnx.ModelProto: every tag must name a field our
 * schema declares, with that field's wire type, lengths must stay inside
 * their message, singular fields may appear once, strings must be valid
 * UTF-8 and nesting must stay within maxDepth messages.
 */
export function scanModelWireFormat(bytes: Uint8Array, maxDepth: number): WireScanResult {
  const context: ScanContext = { cursor: new WireCursor(bytes), maxDepth };
  try {
    scanMessage(context, ModelProtoType, bytes.length, 1, 'model');
    return { ok: true };
  } catch (error) {
    if (error instanceof ScanRejection) return error.rejection;
    if (error instanceof WireError) {
      return reject('onnx.parse', `the model is not a valid ONNX protobuf: ${error.message}.`);
    }
    throw error;
  }
}
