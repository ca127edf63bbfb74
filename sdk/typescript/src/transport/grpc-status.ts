import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

/** The `google.rpc.ErrorInfo` of a fatal error (PRS-ERR-2), as far as a client reads it. */
export interface ErrorInfo {
  readonly reason: string;
  readonly domain: string;
  readonly metadata: Record<string, string>;
}

const ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";

/**
 * Reads the `ErrorInfo` out of a `grpc-status-details-bin` value: a `google.rpc.Status` (field 3: repeated `Any`)
 * whose `Any` of type `google.rpc.ErrorInfo` holds reason (1), domain (2) and metadata (3, a map). The repository's
 * protos do not include `google/rpc`, so these three small messages are read with protobuf-es's wire reader.
 *
 * @returns the ErrorInfo, or undefined when the status carries none or does not decode
 */
export function errorInfoOf(statusDetails: Uint8Array): ErrorInfo | undefined {
  try {
    for (const any of fields(statusDetails, 3)) {
      let typeUrl = "";
      let value: Uint8Array | undefined;
      forEachField(any, (number, reader) => {
        if (number === 1) {
          typeUrl = reader.string();
        } else if (number === 2) {
          value = reader.bytes();
        } else {
          return false;
        }
        return true;
      });
      if (typeUrl === ERROR_INFO_TYPE && value) {
        return readErrorInfo(value);
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function readErrorInfo(bytes: Uint8Array): ErrorInfo {
  const info = { reason: "", domain: "", metadata: {} as Record<string, string> };
  forEachField(bytes, (number, reader) => {
    if (number === 1) {
      info.reason = reader.string();
    } else if (number === 2) {
      info.domain = reader.string();
    } else if (number === 3) {
      let key = "";
      let value = "";
      forEachField(reader.bytes(), (n, entry) => {
        if (n === 1) {
          key = entry.string();
        } else if (n === 2) {
          value = entry.string();
        } else {
          return false;
        }
        return true;
      });
      info.metadata[key] = value;
    } else {
      return false;
    }
    return true;
  });
  return info;
}

/** The length-delimited values of one field number. */
function fields(bytes: Uint8Array, wanted: number): Uint8Array[] {
  const found: Uint8Array[] = [];
  forEachField(bytes, (number, reader) => {
    if (number !== wanted) {
      return false;
    }
    found.push(reader.bytes());
    return true;
  });
  return found;
}

/** Calls `read` for each field; when it returns false the field is skipped (unknown fields are ignored). */
function forEachField(bytes: Uint8Array, read: (number: number, reader: BinaryReader) => boolean): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    if (wireType !== WireType.LengthDelimited || !read(number, reader)) {
      reader.skip(wireType, number);
    }
  }
}

/** Decodes standard base64 with or without padding, as gRPC writes binary metadata. */
export function base64Decode(text: string): Uint8Array {
  const binary = atob(text + "=".repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
