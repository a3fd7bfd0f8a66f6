/// The character classes of transformers' BERT tokenizer (`tokenization_utils.py`:
/// `_is_whitespace`, `_is_control`, `_is_punctuation`; `tokenization_bert.py`: `_is_chinese_char`).
///
/// Each test takes an ASCII fast path before looking up Unicode properties.
enum CharacterClasses {
    /// Whitespace for text cleaning: space, tab, newline, carriage return, or category Zs.
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20, 0x09, 0x0A, 0x0D: return true
        case 0..<0x80: return false
        default: return s.properties.generalCategory == .spaceSeparator
        }
    }

    /// A control character dropped by cleaning: any category C* (Cc, Cf, Cn, Co, Cs; Python's
    /// `category(c).startswith("C")`), except tab, newline and carriage return (whitespace).
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0..<0x20, 0x7F: return true
        case 0x20..<0x7F: return false
        default:
            switch s.properties.generalCategory {
            case .control, .format, .unassigned, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    /// Punctuation for splitting: all non-alphanumeric printable ASCII (33–47, 58–64, 91–96,
    /// 123–126, which includes symbols such as `$` and `^`) and every Unicode P* category.
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) {
            return true
        }
        if v < 0x80 { return false }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// A CJK ideograph that gets spaces around it: exactly the ranges of `_is_chinese_char`
    /// (CJK Unified Ideographs and extensions A–E, and the compatibility ideograph blocks).
    static func isChineseChar(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// A separator for Python's `str.split()` once the text is cleaned: the space that cleaning
    /// wrote, plus LINE SEPARATOR (Zl) and PARAGRAPH SEPARATOR (Zp), which cleaning keeps but
    /// `str.split()` also splits on. (Every other Python whitespace is Zs or C*, already mapped.)
    static func isSplitSpace(_ s: Unicode.Scalar) -> Bool {
        s.value == 0x20 || s.value == 0x2028 || s.value == 0x2029
    }
}
