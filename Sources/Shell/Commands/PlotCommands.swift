import Foundation
import Script
import Training

/// `plot`: training curves as an SVG file.
enum PlotCommands {
    static func all(session: ShellSession) -> [Builtin] {
        [plot()]
    }

    static func plot() -> Builtin {
        command("plot", group: "plot", parameters: [
            CommandParameter("run", .object("run"), summary: "what train returned"),
            CommandParameter("path", .string, default: .string("loss.svg"), summary: "the SVG file to write"),
            CommandParameter("title", .string, default: .string("training"), summary: "the chart's title"),
        ],
        summary: "Draws a run's loss and accuracy per task as an SVG chart.",
        help: "The top panel shows each task's loss and the total (dashed); the bottom one each task's accuracy; evaluations are dots.",
        example: "d = dummy 12 seed=1\nenc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=8\nopt = adamw model lr=1e-3\nrun = train model d opt steps=3 batch=4\nplot run \"/tmp/mtl-example-loss.svg\"") { call in
            let run = try call.object("run", as: RunHistoryObject.self)
            let path = expandedPath(try call.string("path"))
            let svg = LossPlot.svg(history: run.history, title: try call.string("title"))
            let url = URL(fileURLWithPath: path)
            try FileError.translating("cannot write", path) {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(svg.utf8).write(to: url, options: .atomic)
            }
            call.interpreter.output("wrote \(path) (\(run.history.steps.count) step\(run.history.steps.count == 1 ? "" : "s"))")
            return .null
        }
    }
}
