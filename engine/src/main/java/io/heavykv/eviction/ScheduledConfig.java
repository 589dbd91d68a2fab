package io.heavykv.eviction;

import io.heavykv.eviction.schedule.Schedule;

/** Configuration of a policy that keeps floors plus a budget set by a {@link Schedule}: any {@link ScoringPolicy}. */
public interface ScheduledConfig extends PolicyConfig {

    /** Leading tokens never evicted. */
    int sinkTokens();

    /** Trailing tokens never evicted. */
    int recentTokens();

    Schedule schedule();

    /** This configuration with another schedule. */
    ScheduledConfig withSchedule(Schedule schedule);
}
