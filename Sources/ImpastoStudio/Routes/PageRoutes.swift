import Foundation
import Hummingbird

/// The page: three files served from the module's resources, no build step and nothing fetched
/// from elsewhere, so the studio works offline.
enum PageRoutes {
    static let files: [(route: String, name: String, type: String)] = [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/studio.js", "studio.js", "text/javascript; charset=utf-8"),
        ("/studio.css", "studio.css", "text/css; charset=utf-8"),
    ]

    static func add(to router: Router<some RequestContext>) {
        for file in files {
            router.get(RouterPath(file.route)) { _, _ -> Response in
                guard let url = Bundle.module.url(forResource: file.name, withExtension: nil, subdirectory: "Page") else {
                    throw StudioError(.internalServerError, "page_missing", "the page's \(file.name) is missing from this build")
                }
                return try Responses.file(url, type: file.type)
            }
        }
    }
}
