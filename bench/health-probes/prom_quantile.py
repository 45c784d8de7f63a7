"""Quantiles and sums from two Prometheus text snapshots (before, after): what happened in between."""
import re
import sys

BUCKET = re.compile(r'^(\w+)_bucket\{(.*?)le="([^"]+)"(.*?)\}\s+(\S+)')
SAMPLE = re.compile(r'^(\w+)(\{[^}]*\})?\s+(\S+)')


def buckets(text, name):
    out = {}
    for line in text.splitlines():
        m = BUCKET.match(line)
        if m and m.group(1) == name:
            le = float('inf') if m.group(3) == '+Inf' else float(m.group(3))
            out[le] = out.get(le, 0.0) + float(m.group(5))
    return out


def total(text, name):
    s = 0.0
    for line in text.splitlines():
        m = SAMPLE.match(line)
        if m and m.group(1) == name:
            s += float(m.group(3))
    return s


def quantile(before, after, name, q):
    b, a = buckets(before, name), buckets(after, name)
    diff = sorted((le, a[le] - b.get(le, 0.0)) for le in a)
    count = diff[-1][1] if diff else 0
    for le, c in diff:
        if c >= q * count:
            return le, count
    return float('nan'), count


if __name__ == '__main__':
    before, after = open(sys.argv[1]).read(), open(sys.argv[2]).read()
    p99, n = quantile(before, after, 'jitsiops_health_schedule_lag_seconds', 0.99)
    p50, _ = quantile(before, after, 'jitsiops_health_schedule_lag_seconds', 0.50)
    checks = total(after, 'jitsiops_health_check_latency_seconds_count') - total(before, 'jitsiops_health_check_latency_seconds_count')
    skipped = total(after, 'jitsiops_health_checks_skipped_total') - total(before, 'jitsiops_health_checks_skipped_total')
    print(f"scheduled_starts={n:.0f} checks_completed={checks:.0f} skipped={skipped:.0f} "
          f"lag_p50_le_s={p50} lag_p99_le_s={p99}")
