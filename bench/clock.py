"""`TrainClock`, shared by the benchmarks: the seconds and items of training of a run by epochs (which has no `TimeBudget`
to count them)."""
import time
from fastlessons.learner import Callback

class TrainClock(Callback):
    "Seconds and items (images, or characters: the targets' elements) of training, validation excluded."
    def before_fit(self): self.used, self.n_items = 0., 0
    def before_train(self): self.t0 = time.perf_counter()
    def after_train(self): self.used += time.perf_counter() - self.t0
    def after_batch(self):
        if self.learn.training: self.n_items += self.learn.yb.numel()
