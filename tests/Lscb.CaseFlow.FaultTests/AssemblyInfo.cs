// One fault at a time: each test starts an API process and loads it, on a machine that may have two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
