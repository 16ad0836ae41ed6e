// lagesbild: the thin command line, one file per subcommand; every line it prints is masked.
