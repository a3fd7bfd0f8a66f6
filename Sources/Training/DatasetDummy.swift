import Tensors

extension Dataset {
    /// Random sentences with random labels for every task: the original exercise's simulated data.
    ///
    /// Sentences are built from small word lists (subject, optional adjectives, verb, object,
    /// optional place and time phrases), so their length varies from 3 to about 14 words and
    /// they read like sentences; each ends with `.`, `?` or `!`. Each task gets a label drawn
    /// uniformly from its list. The same generator state gives the same dataset.
    ///
    /// - Throws: `DatasetError.invalidDummy` for a negative count, a task with no labels, or
    ///   a repeated task name.
    public static func dummy(count: Int, tasks: [(name: String, labels: [String])],
                             using generator: inout SeededGenerator) throws -> Dataset {
        guard count >= 0 else { throw DatasetError.invalidDummy(reason: "count \(count) is negative; ask for 0 or more examples") }
        var names: Set<String> = []
        for task in tasks {
            guard !task.labels.isEmpty else {
                throw DatasetError.invalidDummy(reason: "task '\(task.name)' has no labels; give it at least one")
            }
            guard names.insert(task.name).inserted else {
                throw DatasetError.invalidDummy(reason: "task '\(task.name)' is listed twice")
            }
        }
        var examples: [Example] = []
        examples.reserveCapacity(count)
        for _ in 0..<count {
            let text = DummySentence.make(using: &generator)
            var labels: [String: String] = [:]
            for task in tasks {
                labels[task.name] = task.labels[Sampling.index(below: task.labels.count, using: &generator)]
            }
            examples.append(Example(text: text, labels: labels))
        }
        return Dataset(examples: examples, tasks: tasks.map(\.name), name: "dummy")
    }

    /// `dummy(count:tasks:using:)` with a generator seeded by `seed`.
    public static func dummy(count: Int, tasks: [(name: String, labels: [String])], seed: UInt64) throws -> Dataset {
        var generator = SeededGenerator(seed: seed)
        return try dummy(count: count, tasks: tasks, using: &generator)
    }
}

/// Sentence-like strings from word lists.
enum DummySentence {
    static let subjects = ["the model", "my friend", "the teacher", "a small dog", "the team", "our neighbour",
                           "the computer", "this city", "the student", "a stranger", "the weather", "the train",
                           "everyone", "the market", "the old library", "you"]
    static let adjectives = ["quiet", "bright", "strange", "careful", "happy", "tired", "modern", "broken",
                             "curious", "simple", "noisy", "gentle"]
    static let verbs = ["reads", "finds", "builds", "likes", "watches", "breaks", "opens", "needs", "loves",
                        "ignores", "carries", "explains", "answers", "follows"]
    static let objects = ["book", "letter", "problem", "window", "song", "question", "garden", "story",
                          "machine", "idea", "road", "picture", "result", "coffee"]
    static let places = ["in the park", "at home", "near the river", "on the bus", "at work", "in the kitchen",
                         "by the sea", "downtown"]
    static let times = ["today", "every morning", "last night", "again", "before dinner", "on weekends",
                        "right now", "sometimes"]
    static let openers = ["please", "honestly", "well", "yesterday", "maybe", "surely"]

    static func make(using g: inout SeededGenerator) -> String {
        func pick(_ words: [String]) -> String { words[Sampling.index(below: words.count, using: &g)] }
        func chance(_ p: Double) -> Bool { Sampling.unit(using: &g) < p }

        var words: [String] = []
        if chance(0.2) { words.append(pick(openers) + ",") }
        words.append(pick(subjects))
        words.append(pick(verbs))
        words.append(chance(0.5) ? "the" : "this")
        for _ in 0..<Sampling.index(below: 3, using: &g) { words.append(pick(adjectives)) }
        words.append(pick(objects))
        if chance(0.5) { words.append(pick(places)) }
        if chance(0.4) { words.append(pick(times)) }
        let endings = [".", ".", ".", "?", "!"]
        var sentence = words.joined(separator: " ") + pick(endings)
        if let first = sentence.first { sentence = first.uppercased() + sentence.dropFirst() }
        return sentence
    }
}
