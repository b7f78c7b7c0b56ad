@testable import ImpastoBenchmarks
import Testing

@Suite("Quality benchmark report")
struct QualityReportTests {
    /// Method names such as "lbfgs, pixels, scalar H0" hold commas: unquoted, a CSV reader would
    /// split them into extra columns.
    @Test func csvQuotesMethodNames() {
        let report = QualityBenchmark.Report(
            referenceLoss: 2, referenceSeconds: 10,
            methods: [.init(name: "lbfgs, pixels", secondsToReference: 1.5, curve: [(1.5, 2), (3, 1.25)]),
                      .init(name: #"a "quoted" name"#, secondsToReference: nil, curve: [(0.25, 4)])])
        #expect(report.csv == """
            method,seconds,loss
            "lbfgs, pixels",1.500,2
            "lbfgs, pixels",3.000,1.25
            "a ""quoted"" name",0.250,4

            """)
    }
}
