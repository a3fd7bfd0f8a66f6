import Foundation

/// BERT's normalizer and pre-tokenizer: transformers' `BasicTokenizer.tokenize`
/// (`models/bert/tokenization_bert.py`), step for step, on Unicode scalars.
///
/// clean (drop NUL, U+FFFD and C* controls; whitespace → space) → spaces around CJK ideographs →
/// NFC → split on whitespace → per word: lowercase, strip accents (NFD, drop Mn) → split off
/// each punctuation character. Words in `neverSplit` (the special tokens) are kept whole.
struct BasicTokenizer: Sendable {
    var lowercase: Bool
    /// nil: strip accents exactly when lowercasing (as the original BERT).
    var stripAccents: Bool?
    var tokenizeChineseChars: Bool
    private var neverSplit: Set<ExactToken>
    /// The first scalar of each never-split token: most words skip the set lookup.
    private var neverSplitStarts: Set<Unicode.Scalar>

    init(lowercase: Bool, stripAccents: Bool?, tokenizeChineseChars: Bool, neverSplit: [String]) {
        self.lowercase = lowercase
        self.stripAccents = stripAccents
        self.tokenizeChineseChars = tokenizeChineseChars
        self.neverSplit = Set(neverSplit.map(ExactToken.init))
        self.neverSplitStarts = Set(neverSplit.compactMap(\.unicodeScalars.first))
    }

    /// The words of `text`, each a non-empty run of scalars ready for WordPiece.
    func words(_ text: some Collection<Unicode.Scalar>) -> [[Unicode.Scalar]] {
        var cleaned: [Unicode.Scalar] = []
        cleaned.reserveCapacity(text.count)
        var isASCII = true
        for s in text {
            let v = s.value
            if v == 0 || v == 0xFFFD || CharacterClasses.isControl(s) { continue }
            if CharacterClasses.isWhitespace(s) {
                cleaned.append(" ")
            } else if tokenizeChineseChars && CharacterClasses.isChineseChar(s) {
                cleaned.append(" "); cleaned.append(s); cleaned.append(" ")
                isASCII = false
            } else {
                cleaned.append(s)
                if v >= 0x80 { isASCII = false }
            }
        }
        // "prevents treating the same character with different unicode codepoints as different
        // characters" (transformers). ASCII text is already NFC.
        if !isASCII { cleaned = Self.normalized(cleaned, nfc: true) }

        var output: [[Unicode.Scalar]] = []
        var start = 0
        while start < cleaned.count {
            if CharacterClasses.isSplitSpace(cleaned[start]) { start += 1; continue }
            var end = start
            while end < cleaned.count && !CharacterClasses.isSplitSpace(cleaned[end]) { end += 1 }
            appendWord(cleaned[start..<end], to: &output)
            start = end
        }
        return output
    }

    /// Lowercases / strips accents of one whitespace-delimited word, then splits off punctuation.
    private func appendWord(_ word: ArraySlice<Unicode.Scalar>, to output: inout [[Unicode.Scalar]]) {
        if let first = word.first, neverSplitStarts.contains(first) {
            var string = ""
            string.unicodeScalars.append(contentsOf: word)
            if neverSplit.contains(ExactToken(string)) {
                output.append(Array(word))
                return
            }
        }
        var scalars = Array(word)
        if lowercase {
            scalars = Self.lowercased(scalars)
            if stripAccents != false { scalars = Self.strippingAccents(scalars) }
        } else if stripAccents == true {
            scalars = Self.strippingAccents(scalars)
        }
        var current: [Unicode.Scalar] = []
        for s in scalars {
            if CharacterClasses.isPunctuation(s) {
                if !current.isEmpty { output.append(current); current = [] }
                output.append([s])
            } else {
                current.append(s)
            }
        }
        if !current.isEmpty { output.append(current) }
    }

    /// Python's `str.lower()`: the full Unicode lowercase mapping of each scalar, with Greek
    /// capital sigma becoming final sigma (ς) at the end of a word (Unicode's Final_Sigma context,
    /// CPython `handle_capital_sigma`). Swift's `lowercased()` has no Final_Sigma rule.
    static func lowercased(_ word: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(word.count)
        for (i, s) in word.enumerated() {
            let v = s.value
            if v < 0x80 {
                out.append((0x41...0x5A).contains(v) ? Unicode.Scalar(UInt8(v + 0x20)) : s)
            } else if v == 0x3A3 {
                out.append(isFinalSigma(word, at: i) ? "\u{3C2}" : "\u{3C3}")
            } else {
                out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }

    /// Final_Sigma: a cased letter (skipping case-ignorables) before, and none after.
    private static func isFinalSigma(_ word: [Unicode.Scalar], at i: Int) -> Bool {
        var j = i - 1
        while j >= 0 && word[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0 && word[j].properties.isCased else { return false }
        var k = i + 1
        while k < word.count && word[k].properties.isCaseIgnorable { k += 1 }
        return k == word.count || !word[k].properties.isCased
    }

    /// transformers' `_run_strip_accents`: NFD, then drop every nonspacing mark (Mn).
    static func strippingAccents(_ word: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard word.contains(where: { !$0.isASCII }) else { return word }
        return normalized(word, nfc: false).filter { $0.properties.generalCategory != .nonspacingMark }
    }

    /// NFC or NFD of a scalar sequence, through Foundation.
    private static func normalized(_ scalars: [Unicode.Scalar], nfc: Bool) -> [Unicode.Scalar] {
        var string = ""
        string.unicodeScalars.append(contentsOf: scalars)
        let result = nfc ? string.precomposedStringWithCanonicalMapping
                         : string.decomposedStringWithCanonicalMapping
        return Array(result.unicodeScalars)
    }
}
