#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file each input is written to: the readers read paths, not memory.
///
/// One file per process, in `/dev/shm` when it exists (no disk writes), overwritten for every input.
enum FuzzFile {
    /// The path of this process's input file.
    static let path: String = {
        var status = stat()
        let folder = stat("/dev/shm", &status) == 0 ? "/dev/shm" : "/tmp"
        return "\(folder)/lagesbild-fuzz-\(getpid())"
    }()

    /// Writes `size` bytes at `data` to ``path``; stops the process when that fails, since every
    /// later input would test nothing.
    static func write(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { fatalError("cannot create \(path)") }
        defer { close(descriptor) }
        var written = 0
        while written < size {
            let count = Glibc.write(descriptor, data + written, size - written)
            guard count > 0 else { fatalError("cannot write \(path)") }
            written += count
        }
        return path
    }
}

/// Stops the process (a crash libFuzzer reports, with the input) when an invariant does not hold.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant broken: \(message())") }
}
