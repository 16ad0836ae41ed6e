@main struct Lagesbild { static func main() {} }
