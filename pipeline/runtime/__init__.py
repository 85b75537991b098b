"""Running the stages: the per-file stages (`stages`), where they run (`executors`: this process, a
local pool, Dask), the whole run (`run`), the progress bar (`progress`) and the summary a run
prints (`summary`)."""
