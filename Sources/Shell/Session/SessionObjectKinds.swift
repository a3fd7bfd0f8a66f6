/// The decoder of every object kind a session archive may hold, keyed by the manifest's `kind`.
///
/// A new kind of host object becomes saveable by conforming to `ArchivableObject` and adding
/// its decoder here .
public enum SessionObjectKinds {
    /// Kinds defined by the plain-value objects of the shell.
    public static var base: [String: ObjectDecoder] {
        [
            "tensor": TensorObject.decode,
            "dataset": DatasetObject.decode,
            "label-counts": LabelCountsObject.decode,
            "run": RunHistoryObject.decode,
            "encoder": EncoderObject.decode,
            "model": ModelObject.decode,
            "optimizer": OptimizerObject.decode,
            "evaluation": EvaluationObject.decode,
            "prediction": PredictionObject.decode,
            "address": AddressObject.decode,
        ]
    }
}
