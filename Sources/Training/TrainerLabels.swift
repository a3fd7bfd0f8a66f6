/// A dataset's labels as class indices of a model's heads, checked once before a run.
struct TrainerLabels {
    /// The model's tasks that the dataset has, in the model's order.
    let tasks: [TaskLabels]
    /// Task → per example the class index, nil where the example has no label.
    let targets: [String: [Int?]]

    /// - Parameter only: restrict to these tasks (each must be the model's).
    /// - Throws: `TrainingError.unknownLabel` naming the example's file and line,
    ///   `.noCommonTask` when the dataset shares no task with the model, `.unknownTask`.
    init(model: [TaskLabels], dataset: Dataset, only: [String]? = nil) throws {
        let names = model.map(\.name)
        for task in only ?? [] where !names.contains(task) { throw TrainingError.unknownTask(task: task, model: names) }
        let tasks = model.filter { dataset.tasks.contains($0.name) && (only?.contains($0.name) ?? true) }
        guard !tasks.isEmpty else { throw TrainingError.noCommonTask(model: names, dataset: dataset.tasks) }
        var targets: [String: [Int?]] = [:]
        for task in tasks {
            var index: [String: Int] = [:]
            for (i, label) in task.labels.enumerated() where index[label] == nil { index[label] = i }
            targets[task.name] = try dataset.examples.enumerated().map { position, example in
                guard let label = example.labels[task.name] else { return nil }
                guard let c = index[label] else {
                    let location = example.file.map { "\($0):\(example.line ?? 0)" } ?? "example \(position + 1)"
                    throw TrainingError.unknownLabel(task: task.name, label: label, location: location, known: task.labels)
                }
                return c
            }
        }
        self.tasks = tasks
        self.targets = targets
    }

    /// The batch of examples `indices`, with targets of `task` only, or of every task when nil.
    func batch(_ indices: [Int], of dataset: Dataset, task: String?) -> StepBatch {
        var picked: [String: [Int?]] = [:]
        for t in tasks where task == nil || task == t.name {
            if let all = targets[t.name] { picked[t.name] = indices.map { all[$0] } }
        }
        return StepBatch(texts: indices.map { dataset.examples[$0].text }, targets: picked)
    }
}
