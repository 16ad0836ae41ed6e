// Fetch: lagesbild fetch — downloads a source's delivery from its API into its folder (AsyncHTTPClient).
