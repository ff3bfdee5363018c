/** Fewer earlier points than this in the training window and a point gets no score. */
export const MIN_TRAINING_POINTS = 3;
/** A standard deviation at most this fraction of the mean (or of 1, for means near zero) counts as none. */
const FLAT = 1e-9;

export interface TrainingStats {
  count: number;
  mean: number | null;
  stddev: number | null;
}

export interface Score {
  z_score: number | null;
  anomaly: boolean;
  reason: string | null;
}

/**
 * The z-score of `value` against its training window: how many standard deviations it lies from the
 * mean. |z| above `sensitivity` is an anomaly. A flat history (zero deviation) scores 0, and too little
 * history gives no score, with the reason.
 */
export function scorePoint(value: number, training: TrainingStats, sensitivity: number): Score {
  if (training.count < MIN_TRAINING_POINTS || training.mean === null || training.stddev === null) {
    return {
      z_score: null,
      anomaly: false,
      reason: `insufficient history: ${training.count} point(s) in the training window, at least ${MIN_TRAINING_POINTS} needed`,
    };
  }
  // Floating point leaves a flat history of 0.1s a deviation of ~1e-17, not 0: anything that small next
  // to the mean is a flat history, where every score would otherwise be noise amplified a quadrillion-fold.
  if (training.stddev <= FLAT * Math.max(1, Math.abs(training.mean))) return { z_score: 0, anomaly: false, reason: null };
  const z = (value - training.mean) / training.stddev;
  return { z_score: z, anomaly: Math.abs(z) > sensitivity, reason: null };
}
