// The detector's learning-rate curve: warm-up, then constant or a half-cosine to a floor, a
// function of the step alone.
#include <gtest/gtest.h>

#include "common/error.h"
#include "train/schedule.h"
#include "train/train_config.h"

namespace bugseek::train {
namespace {

TEST(LrSchedule, ConstantIsTheWarmUpThenFullRate) {
  LrSchedule curve;
  curve.warmup_steps = 4;
  EXPECT_DOUBLE_EQ(curve.scale(0), 0.25);
  EXPECT_DOUBLE_EQ(curve.scale(2), 0.75);
  EXPECT_DOUBLE_EQ(curve.scale(3), 1.0);
  EXPECT_DOUBLE_EQ(curve.scale(1000000), 1.0);
}

TEST(LrSchedule, CosineFallsMonotonicallyToItsFloorAndStays) {
  LrSchedule curve;
  curve.kind = "cosine";
  curve.decay_steps = 1000;
  curve.final_scale = 0.1;
  EXPECT_DOUBLE_EQ(curve.scale(0), 1.0);
  EXPECT_NEAR(curve.scale(500), 0.55, 1e-12);  // halfway: the mean of 1 and the floor
  EXPECT_NEAR(curve.scale(1000), 0.1, 1e-12);
  EXPECT_NEAR(curve.scale(5000), 0.1, 1e-12);
  for (uint64_t s = 1; s <= 1000; ++s) EXPECT_LE(curve.scale(s), curve.scale(s - 1)) << s;
}

TEST(LrSchedule, WarmUpMultipliesTheCosine) {
  LrSchedule curve;
  curve.kind = "cosine";
  curve.warmup_steps = 10;
  curve.decay_steps = 100;
  curve.final_scale = 0.0;
  LrSchedule no_warmup = curve;
  no_warmup.warmup_steps = 0;
  EXPECT_NEAR(curve.scale(4), 0.5 * no_warmup.scale(4), 1e-12);
  EXPECT_NEAR(curve.scale(50), no_warmup.scale(50), 1e-12);
  EXPECT_NEAR(curve.scale(100), 0.0, 1e-12);
}

TEST(LrSchedule, ConfigDecaysOverMaxStepsUnlessToldAndRejectsNonsense) {
  TrainConfig c;
  c.lr_schedule = "cosine";
  EXPECT_THROW(c.lr_curve(), UsageError);  // no step count to decay over
  c.max_steps = 300;
  EXPECT_EQ(c.lr_curve().decay_steps, 300u);
  c.lr_decay_steps = 200;
  EXPECT_EQ(c.lr_curve().decay_steps, 200u);
  c.lr_final_scale = 1.5;
  EXPECT_THROW(c.lr_curve(), UsageError);
  c.lr_final_scale = 0.05;
  c.lr_schedule = "linear";
  EXPECT_THROW(c.lr_curve(), UsageError);
  c.lr_schedule = "constant";
  c.max_steps = 0;
  c.lr_decay_steps = 0;
  EXPECT_EQ(c.lr_curve().scale(1u << 20), 1.0);
}

}  // namespace
}  // namespace bugseek::train
