/// An element type of the safetensors format, spelled as in the header (`"F32"`, `"BF16"`, …).
///
/// Reference: huggingface/safetensors `safetensors/src/tensor.rs` (`enum Dtype`). All values
/// are stored little-endian.
public enum SafetensorsDType: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64: return 8
        }
    }

    /// The header spellings this reader understands, for error messages.
    static var supportedList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Converts `count` elements starting at `offset` of `bytes` to Float.
    ///
    /// The caller has checked that `offset + count * byteSize <= bytes.count`. Loads are
    /// unaligned-safe: a header whose length is not a multiple of 8 leaves the data misaligned.
    func floats(from bytes: UnsafeRawBufferPointer, offset: Int, count: Int) -> [Float] {
        if count == 0 { return [] }
        if self == .f32 {
            #if _endian(little)
            // Native layout: one copy, whatever the alignment.
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + count * 4]))
                initialized = count
            }
            #endif
        }
        var out = [Float]()
        out.reserveCapacity(count)
        let size = byteSize
        for i in 0 ..< count {
            let at = offset + i * size
            out.append(element(bytes, at))
        }
        return out
    }

    /// One element at byte position `at`, as Float.
    private func element(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> Float {
        switch self {
        case .bool: return bytes[at] == 0 ? 0 : 1
        case .u8: return Float(bytes[at])
        case .i8: return Float(Int8(bitPattern: bytes[at]))
        case .i16: return Float(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int16.self)))
        case .u16: return Float(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
        case .f16: return Self.halfToFloat(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
        case .bf16:
            // bfloat16 is the top half of a float32.
            let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self))
            return Float(bitPattern: UInt32(bits) << 16)
        case .i32: return Float(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int32.self)))
        case .u32: return Float(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        case .f32: return Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        case .f64: return Float(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))))
        case .i64: return Float(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int64.self)))
        case .u64: return Float(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
        }
    }

    /// IEEE 754 binary16 to binary32, exactly (every half is representable as a float).
    ///
    /// Written out rather than using `Float16`, which Swift lacks on macOS x86_64.
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h) & 0x3FF
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2⁻²⁴, exact in float32.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            // Infinity (mantissa 0) or NaN (payload kept in the top mantissa bits).
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            // Rebias the exponent from 15 to 127.
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }
}
