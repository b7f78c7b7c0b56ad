import ImpastoModels

extension LBFGS where Info: Codable {
    /// Saves the whole state under `prefix`: settings, curvature history and the cached
    /// evaluation, so that a restored optimiser takes exactly the steps this one would have.
    public func archive(into archive: inout StateArchive, prefix: String) throws {
        archive.set(prefix + "history_size", historySize)
        archive.set(prefix + "line_search", lineSearch.rawValue)
        archive.set(prefix + "starting_hessian", startingHessian.rawValue)
        if let gradientScaling { archive.set(prefix + "gradient_mean_squares", floats: gradientScaling.meanSquares) }
        archive.set(prefix + "learning_rate", learningRate)
        archive.set(prefix + "gradient_tolerance", gradientTolerance)
        archive.set(prefix + "change_tolerance", changeTolerance)
        if let valueLowerBound { archive.set(prefix + "value_lower_bound", valueLowerBound) }
        archive.set(prefix + "iterations", iterations)
        archive.set(prefix + "pairs", steps.count)
        for (index, (s, y)) in zip(steps, gradientChanges).enumerated() {
            archive.set(prefix + "s.\(index)", floats: s)
            archive.set(prefix + "y.\(index)", floats: y)
        }
        archive.set(prefix + "curvature_ratios", doubles: curvatureRatios)
        archive.set(prefix + "hessian_scale", hessianScale)
        archive.set(prefix + "previous_step_length", previousStepLength)
        if let previousGradient { archive.set(prefix + "previous_gradient", floats: previousGradient) }
        if let previousDirection { archive.set(prefix + "previous_direction", floats: previousDirection) }
        if let cached {
            archive.set(prefix + "cached.value", cached.value)
            archive.set(prefix + "cached.gradient", floats: cached.gradient)
            try archive.set(prefix + "cached.info", json: cached.info)
        }
    }

    public init(from archive: StateArchive, prefix: String) throws {
        let savedSearch: String = try archive.value(prefix + "line_search")
        guard let lineSearch = LineSearch(rawValue: savedSearch) else {
            throw CheckpointError.unknownValue(path: archive.path, setting: "line search", value: savedSearch)
        }
        let savedHessian: String = try archive.value(prefix + "starting_hessian")
        guard let startingHessian = StartingHessian(rawValue: savedHessian) else {
            throw CheckpointError.unknownValue(path: archive.path, setting: "starting Hessian", value: savedHessian)
        }
        self.init(historySize: try archive.value(prefix + "history_size"), lineSearch: lineSearch,
                  startingHessian: startingHessian,
                  learningRate: try archive.value(prefix + "learning_rate"),
                  gradientTolerance: try archive.value(prefix + "gradient_tolerance"),
                  changeTolerance: try archive.value(prefix + "change_tolerance"),
                  valueLowerBound: archive.contains(prefix + "value_lower_bound")
                      ? try archive.value(prefix + "value_lower_bound") : nil)
        iterations = try archive.value(prefix + "iterations")
        let pairs: Int = try archive.value(prefix + "pairs")
        steps = try (0..<pairs).map { try archive.floats(prefix + "s.\($0)") }
        gradientChanges = try (0..<pairs).map { try archive.floats(prefix + "y.\($0)") }
        curvatureRatios = try archive.doubles(prefix + "curvature_ratios")
        hessianScale = try archive.value(prefix + "hessian_scale")
        if startingHessian == .diagonal {
            gradientScaling?.meanSquares = try archive.floats(prefix + "gradient_mean_squares")
        }
        previousStepLength = try archive.value(prefix + "previous_step_length")
        if archive.contains(prefix + "previous_gradient") {
            previousGradient = try archive.floats(prefix + "previous_gradient")
        }
        if archive.contains(prefix + "previous_direction") {
            previousDirection = try archive.floats(prefix + "previous_direction")
        }
        if archive.contains(prefix + "cached.value") {
            cached = Evaluation(value: try archive.value(prefix + "cached.value"),
                                gradient: try archive.floats(prefix + "cached.gradient"),
                                info: try archive.decoded(prefix + "cached.info"))
        }
    }
}
