import Foundation

/// Expands a glob pattern (`*`, `?`, `[...]`) to the matching files, sorted; written over glob(3)
/// because Foundation has no glob on Linux.
public func expandGlob(_ pattern: String) -> [String] {
    var result = glob_t()
    defer { globfree(&result) }
    guard glob(pattern, 0, nil, &result) == 0 else { return [] }
    var paths: [String] = []
    for index in 0..<Int(result.gl_pathc) {
        if let pointer = result.gl_pathv[index], let path = String(validatingCString: pointer) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                paths.append(path)
            }
        }
    }
    return paths.sorted()
}
