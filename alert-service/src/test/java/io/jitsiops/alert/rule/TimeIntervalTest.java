package io.jitsiops.alert.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Time intervals in Alertmanager's format and with its meaning (prometheus/alertmanager timeinterval/timeinterval.go
 * and its configuration documentation): the cases below are the ones its documentation and tests describe.
 */
class TimeIntervalTest {
    private static final RuleFileParser PARSER = new RuleFileParser(Set.of("ops", "pager"));

    private static RuleFile file(String intervals, String childRoute) {
        return PARSER.parse("rules: []\ntime_intervals:\n" + intervals.indent(2) + "route:\n  receiver: ops\n  routes:\n"
                + childRoute.indent(4));
    }

    private static List<TimeInterval> only(String interval) {
        return file("- name: i\n  time_intervals:\n" + interval.indent(4), "- receiver: pager\n  mute_time_intervals: [i]\n")
                .timeIntervals().get("i");
    }

    private static boolean contains(List<TimeInterval> intervals, String instant) {
        Instant t = Instant.parse(instant);
        return intervals.stream().anyMatch(i -> i.contains(t));
    }

    @Test
    void officeHoursInBerlinAreReadInBerlinTimeOnBothSidesOfTheDaylightSavingChange() {
        List<TimeInterval> office = only("""
                - times: [{start_time: "09:00", end_time: "17:00"}]
                  weekdays: ['monday:friday']
                  location: Europe/Berlin
                """);
        assertThat(contains(office, "2026-11-30T08:00:00Z")).isTrue(); // Monday 09:00 CET
        assertThat(contains(office, "2026-11-30T07:59:59Z")).isFalse();
        assertThat(contains(office, "2026-11-30T15:59:00Z")).isTrue(); // 16:59, the last minute
        assertThat(contains(office, "2026-11-30T16:00:00Z")).isFalse(); // 17:00: the end is exclusive
        assertThat(contains(office, "2026-07-06T07:00:00Z")).isTrue(); // Monday 09:00 CEST
        assertThat(contains(office, "2026-07-06T15:30:00Z")).isFalse(); // 17:30 CEST
        assertThat(contains(office, "2026-11-29T10:00:00Z")).isFalse(); // Sunday
    }

    @Test
    void withoutALocationTimesAreUtcAnd2400EndsTheDay() {
        List<TimeInterval> evening = only("- times: [{start_time: \"18:00\", end_time: \"24:00\"}]\n");
        assertThat(contains(evening, "2026-11-30T23:59:59Z")).isTrue();
        assertThat(contains(evening, "2026-12-01T00:00:00Z")).isFalse();
        assertThat(contains(evening, "2026-11-30T17:59:00Z")).isFalse();
    }

    @Test
    void everySetFieldMustContainTheInstantAndAnyRangeOfAFieldDoes() {
        List<TimeInterval> i = only("""
                - weekdays: ['saturday', 'sunday']
                  months: ['december', '1:2']
                  years: ['2026:2027']
                """);
        assertThat(contains(i, "2026-12-05T12:00:00Z")).isTrue(); // a Saturday of December 2026
        assertThat(contains(i, "2027-02-06T12:00:00Z")).isTrue(); // a Saturday of February 2027
        assertThat(contains(i, "2027-03-06T12:00:00Z")).isFalse(); // March
        assertThat(contains(i, "2026-12-07T12:00:00Z")).isFalse(); // a Monday
        assertThat(contains(i, "2028-01-01T12:00:00Z")).isFalse(); // a Saturday of 2028
        assertThat(contains(only("- {}\n"), "2026-12-07T12:00:00Z")).isTrue(); // nothing set: always
    }

    @Test
    void negativeDaysOfTheMonthCountFromItsEndAndADayPastItsEndMatchesNothingThatMonth() {
        List<TimeInterval> lastDays = only("- days_of_month: ['-3:-1']\n");
        assertThat(contains(lastDays, "2028-02-27T00:00:00Z")).isTrue(); // 2028 is a leap year: 27, 28, 29
        assertThat(contains(lastDays, "2028-02-26T23:59:00Z")).isFalse();
        assertThat(contains(lastDays, "2027-02-26T00:00:00Z")).isTrue(); // 26, 27, 28
        assertThat(contains(lastDays, "2026-12-29T00:00:00Z")).isTrue();
        assertThat(contains(lastDays, "2026-12-28T00:00:00Z")).isFalse();
        List<TimeInterval> thirtieth = only("- days_of_month: ['30:31']\n");
        assertThat(contains(thirtieth, "2027-02-28T12:00:00Z")).isFalse();
        assertThat(contains(thirtieth, "2027-03-31T12:00:00Z")).isTrue();
        List<TimeInterval> firstWeek = only("- days_of_month: ['1:7', 15]\n");
        assertThat(contains(firstWeek, "2026-12-07T12:00:00Z")).isTrue();
        assertThat(contains(firstWeek, "2026-12-15T12:00:00Z")).isTrue();
        assertThat(contains(firstWeek, "2026-12-08T12:00:00Z")).isFalse();
    }

    @Test
    void refusesWhatAlertmanagerRefusesNamingTheIntervalTheEntryAndTheKey() {
        assertThatThrownBy(() -> only("- times: [{start_time: \"17:00\", end_time: \"09:00\"}]\n"))
                .isInstanceOf(InvalidRulesException.class)
                .hasMessageContaining("time interval 'i' (time_intervals[0]): time_intervals[0]: key 'times'")
                .hasMessageContaining("not before end_time");
        assertThatThrownBy(() -> only("- times: [{start_time: \"9:00\", end_time: \"17:00\"}]\n")).hasMessageContaining("HH:MM");
        assertThatThrownBy(() -> only("- times: [{start_time: \"09:00\"}]\n")).hasMessageContaining("both start_time and end_time");
        assertThatThrownBy(() -> only("- weekdays: ['funday']\n")).hasMessageContaining("key 'weekdays'")
                .hasMessageContaining("'funday' is not a valid weekday");
        assertThatThrownBy(() -> only("- weekdays: ['friday:monday']\n")).hasMessageContaining("the end is before the start");
        assertThatThrownBy(() -> only("- days_of_month: ['0']\n")).hasMessageContaining("key 'days_of_month'");
        assertThatThrownBy(() -> only("- days_of_month: ['-1:5']\n")).hasMessageContaining("must be negative");
        assertThatThrownBy(() -> only("- days_of_month: ['-1:-5']\n")).hasMessageContaining("always before the start day");
        assertThatThrownBy(() -> only("- months: ['13']\n")).hasMessageContaining("key 'months'").hasMessageContaining("out of range");
        assertThatThrownBy(() -> only("- years: ['2027:2026']\n")).hasMessageContaining("key 'years'");
        assertThatThrownBy(() -> only("- location: Mars/Olympus\n")).hasMessageContaining("key 'location'");
        assertThatThrownBy(() -> only("- weekday: ['monday']\n")).hasMessageContaining("key 'weekday' is unknown");
    }

    @Test
    void routesMayNameOnlyDefinedIntervalsTheRootNoneAndChildrenDoNotInheritThem() {
        String named = "- name: night\n  time_intervals:\n    - times: [{start_time: \"00:00\", end_time: \"06:00\"}]\n";
        assertThatThrownBy(() -> file(named, "- receiver: pager\n  mute_time_intervals: [nights]\n"))
                .hasMessageContaining("route.routes[0]: key 'mute_time_intervals': 'nights' is not defined under time_intervals");
        assertThatThrownBy(() -> PARSER.parse("rules: []\ntime_intervals:\n" + named.indent(2)
                + "route:\n  receiver: ops\n  active_time_intervals: [night]\n"))
                .hasMessageContaining("route: key 'active_time_intervals': the root route cannot have time intervals");
        assertThatThrownBy(() -> file(named + named, "- receiver: pager\n")).hasMessageContaining("used twice");

        RuleFile f = file(named, """
                - receiver: pager
                  mute_time_intervals: [night]
                  routes:
                    - matchers: ['severity=critical']
                """);
        Route pager = f.route().routes().get(0);
        assertThat(pager.muteTimeIntervals()).containsExactly("night");
        assertThat(pager.routes().get(0).receiver()).isEqualTo("pager"); // inherited
        assertThat(pager.routes().get(0).muteTimeIntervals()).isEmpty(); // not inherited, as in Alertmanager
    }
}
