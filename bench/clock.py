"""`TrainClock` now lives in the library (`fastlessons.schedule.TrainClock`); this name stays for scripts that import it."""
from fastlessons.schedule import TrainClock  # noqa: F401
