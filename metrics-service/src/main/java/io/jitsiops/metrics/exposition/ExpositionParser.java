package io.jitsiops.metrics.exposition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 and of OpenMetrics 1.0 text — what the JVB and
 * jicofo serve on {@code /metrics} (jicoco {@code MetricsContainer} renders through Prometheus simpleclient's
 * {@code TextFormat}, choosing the format by the request's {@code Accept}) and what prosody's
 * {@code mod_http_openmetrics} serves.
 *
 * <p>Hand-written because nothing on this service's class path parses exposition text: Prometheus' Java clients
 * only write it, and their Go parser ({@code expfmt}/{@code textparse}) is what this follows: metric and label
 * name syntax, label-value escapes ({@code \\ \" \n}; a {@code }} or {@code #} inside a quoted value is text),
 * HELP escapes, {@code NaN}/{@code ±Inf}, 0.0.4 millisecond and OpenMetrics second timestamps, OpenMetrics
 * {@code UNIT}, exemplars, {@code _created}, {@code # EOF}. Every error names the 1-based line and the problem.
 * Scanning is a single forward pass over the text (no regular expressions, no backtracking), so any input ends
 * in linear time.
 */
public final class ExpositionParser {

    /** The two text formats; chosen by the response's Content-Type. */
    public enum Format {
        PROMETHEUS_0_0_4, OPENMETRICS_1_0_0;

        /** OpenMetrics for {@code application/openmetrics-text}, otherwise the 0.0.4 text format. */
        public static Format fromContentType(String contentType) {
            return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith("application/openmetrics-text")
                    ? OPENMETRICS_1_0_0 : PROMETHEUS_0_0_4;
        }
    }

    private static final String[] SUFFIXES = { "_bucket", "_count", "_sum", "_total", "_created", "_info", "_gcount", "_gsum" };
    private static final double[] POW10 = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
            1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

    private final String text;
    private final boolean om;
    private final Map<String, MetricFamily.Builder> families = new LinkedHashMap<>();
    private MetricFamily.Builder current;
    private int line;
    private int pos;
    private int end; // end of the current line (exclusive)
    private String lastName = "";
    private final ArrayList<String> labelBuffer = new ArrayList<>(16);

    private ExpositionParser(String text, Format format) {
        this.text = text;
        this.om = format == Format.OPENMETRICS_1_0_0;
    }

    /** The families of {@code text}, in the order they first appear; throws {@link ExpositionFormatException}. */
    public static List<MetricFamily> parse(String text, Format format) {
        return new ExpositionParser(text, format).run();
    }

    private List<MetricFamily> run() {
        int n = text.length();
        int start = 0;
        boolean eof = false;
        while (start < n) {
            line++;
            int nl = text.indexOf('\n', start);
            end = nl < 0 ? n : nl;
            pos = start;
            if (eof) {
                throw error("text after # EOF");
            }
            eof = parseLine();
            start = end + 1;
        }
        if (om && !eof) {
            throw new ExpositionFormatException(Math.max(1, line), "OpenMetrics text must end with '# EOF'");
        }
        List<MetricFamily> out = new ArrayList<>(families.size());
        for (MetricFamily.Builder b : families.values()) {
            out.add(b.build());
        }
        return out;
    }

    /** @return true when the line was OpenMetrics' {@code # EOF} */
    private boolean parseLine() {
        if (pos < end && text.charAt(end - 1) == '\r') {
            throw error("carriage return at the end of the line (lines end with \\n only)");
        }
        if (!om) {
            skipBlanks();
        }
        if (pos == end) {
            if (om) {
                throw error("empty line (not allowed in OpenMetrics)");
            }
            return false;
        }
        if (text.charAt(pos) == '#') {
            return parseComment();
        }
        parseSample();
        return false;
    }

    private boolean parseComment() {
        pos++; // '#'
        if (om) {
            if (text.startsWith(" EOF", pos) && pos + 4 == end) {
                return true;
            }
            if (!(text.startsWith(" HELP ", pos) || text.startsWith(" TYPE ", pos) || text.startsWith(" UNIT ", pos))) {
                throw error("only '# HELP', '# TYPE', '# UNIT' and '# EOF' lines may start with '#' in OpenMetrics");
            }
            pos++;
        } else {
            int save = pos;
            skipBlanks();
            if (pos == save || !(text.startsWith("HELP", pos) || text.startsWith("TYPE", pos))
                    || pos + 4 < end && !isBlank(text.charAt(pos + 4)) || pos + 4 == end) {
                return false; // a plain comment
            }
        }
        String keyword = text.substring(pos, pos + 4);
        pos += 4;
        if (!skipSeparator()) {
            throw error("expected a metric name after '# " + keyword + "'");
        }
        String name = metricName();
        if (name.isEmpty()) {
            throw error("expected a metric name after '# " + keyword + "'");
        }
        MetricFamily.Builder f = metadataTarget(name, keyword);
        switch (keyword) {
            case "HELP" -> {
                if (f.helpSeen) {
                    throw error("second HELP line for " + name);
                }
                f.helpSeen = true;
                if (pos < end) {
                    if (!isBlank(text.charAt(pos))) {
                        throw error("expected a space after the metric name " + name);
                    }
                    pos++;
                    if (!om) {
                        skipBlanks();
                    }
                }
                f.help = pos == end ? "" : helpText();
            }
            case "TYPE" -> {
                if (f.typeSeen) {
                    throw error("second TYPE line for " + name);
                }
                if (!f.samples.isEmpty()) {
                    throw error("TYPE line for " + name + " after its samples");
                }
                if (!skipSeparator()) {
                    throw error("expected a type after the metric name " + name);
                }
                String word = text.substring(pos, om ? end : trimmedEnd());
                MetricType type = MetricType.parse(word, om);
                if (type == null) {
                    throw error("unknown metric type '" + word + "'" + (om
                            ? " (OpenMetrics: counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown)"
                            : " (counter, gauge, histogram, summary, untyped)"));
                }
                f.type = type;
                f.typeSeen = true;
            }
            default -> { // UNIT (OpenMetrics only)
                if (f.unitSeen) {
                    throw error("second UNIT line for " + name);
                }
                f.unitSeen = true;
                // "# UNIT name " with an empty unit is valid OpenMetrics (metricunit = *metricname-char), and what
                // prosody 0.12's mod_http_openmetrics writes for every unit-less metric.
                if (pos < end) {
                    if (text.charAt(pos) != ' ') {
                        throw error("expected a space after the metric name " + name);
                    }
                    pos++;
                }
                String unit = text.substring(pos, end);
                if (!unit.isEmpty() && !(name.endsWith("_" + unit))) {
                    throw error("unit '" + unit + "' must be the suffix of the metric name " + name);
                }
                f.unit = unit;
            }
        }
        return false;
    }

    private MetricFamily.Builder metadataTarget(String name, String keyword) {
        MetricFamily.Builder f = families.get(name);
        if (f == null) {
            f = new MetricFamily.Builder(name, MetricType.UNTYPED);
            families.put(name, f);
            current = f;
        } else if (om && (f != current || !f.samples.isEmpty())) {
            throw error("'# " + keyword + "' for " + name + " after its samples or after another family began");
        }
        return f;
    }

    private String helpText() {
        StringBuilder sb = null;
        int from = pos;
        for (int i = pos; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder(end - pos);
                }
                sb.append(text, from, i);
                if (i + 1 >= end) {
                    throw error("HELP text ends in a lone backslash");
                }
                char e = text.charAt(++i);
                switch (e) {
                    case '\\' -> sb.append('\\');
                    case 'n' -> sb.append('\n');
                    case '"' -> {
                        if (!om) {
                            throw error("invalid escape '\\\"' in HELP text (0.0.4 allows \\\\ and \\n)");
                        }
                        sb.append('"');
                    }
                    default -> throw error("invalid escape '\\" + e + "' in HELP text");
                }
                from = i + 1;
            }
        }
        if (sb == null) {
            return text.substring(pos, end);
        }
        return sb.append(text, from, end).toString();
    }

    private void parseSample() {
        int nameStart = pos;
        String name = metricName();
        if (name.isEmpty()) {
            throw error("expected a metric name, found '" + excerpt(nameStart) + "'");
        }
        Labels labels = Labels.EMPTY;
        if (pos < end && text.charAt(pos) == '{') {
            labels = labels('}');
        }
        if (!skipSeparator()) {
            throw error(pos >= end ? "missing value after " + name : "expected a space before the value of " + name
                    + ", found '" + excerpt(pos) + "'");
        }
        double value = number("value");
        long timestamp = Sample.NO_TIMESTAMP;
        Exemplar exemplar = null;
        if (more()) {
            if (text.charAt(pos) != '#') {
                timestamp = timestamp();
                more();
            }
            if (pos < end) {
                if (!om) {
                    throw error("unexpected '" + excerpt(pos) + "' after the sample (exemplars are OpenMetrics only)");
                }
                exemplar = exemplar();
            }
        }
        MetricFamily.Builder f = familyOf(name);
        check(f, name, labels, value, exemplar);
        f.samples.add(new Sample(name, labels, value, timestamp, exemplar));
    }

    private Exemplar exemplar() {
        if (!text.startsWith("# {", pos)) {
            throw error("expected an exemplar '# {labels} value [timestamp]', found '" + excerpt(pos) + "'");
        }
        pos += 2;
        Labels labels = labels('}');
        int runes = 0;
        for (int i = 0; i < labels.size(); i++) {
            runes += labels.name(i).codePointCount(0, labels.name(i).length())
                    + labels.value(i).codePointCount(0, labels.value(i).length());
        }
        if (runes > 128) {
            throw error("exemplar labels longer than 128 characters");
        }
        if (!skipSeparator()) {
            throw error("expected the exemplar's value");
        }
        double value = number("exemplar value");
        double ts = Double.NaN;
        if (pos < end) {
            if (!skipSeparator()) {
                throw error("unexpected '" + excerpt(pos) + "' after the exemplar value");
            }
            ts = number("exemplar timestamp");
            if (pos < end) {
                throw error("unexpected '" + excerpt(pos) + "' after the exemplar");
            }
        }
        return new Exemplar(labels, value, ts);
    }

    private MetricFamily.Builder familyOf(String name) {
        if (current != null && belongs(current, name)) {
            return current;
        }
        MetricFamily.Builder f = families.get(name);
        if (f == null || !belongs(f, name)) {
            f = null;
            for (String suffix : SUFFIXES) {
                if (name.endsWith(suffix)) {
                    MetricFamily.Builder base = families.get(name.substring(0, name.length() - suffix.length()));
                    if (base != null && belongs(base, name)) {
                        f = base;
                        break;
                    }
                }
            }
        }
        if (f == null) {
            if (families.containsKey(name)) {
                MetricFamily.Builder typed = families.get(name);
                throw error("sample " + name + " does not fit its family's type " + typed.type.wireName());
            }
            f = new MetricFamily.Builder(name, MetricType.UNTYPED);
            families.put(name, f);
        } else if (om && f != current) {
            throw error("samples of " + f.name + " are interleaved with another family");
        }
        current = f;
        return f;
    }

    private boolean belongs(MetricFamily.Builder f, String sample) {
        String base = f.name;
        if (!sample.startsWith(base)) {
            return false;
        }
        String suffix = sample.substring(base.length());
        return switch (f.type) {
            case COUNTER -> om ? suffix.equals("_total") || suffix.equals("_created")
                    : suffix.isEmpty() || suffix.equals("_total") || suffix.equals("_created");
            case HISTOGRAM -> suffix.equals("_bucket") || suffix.equals("_sum") || suffix.equals("_count") || suffix.equals("_created");
            case GAUGEHISTOGRAM -> suffix.equals("_bucket") || suffix.equals("_gsum") || suffix.equals("_gcount");
            case SUMMARY -> suffix.isEmpty() || suffix.equals("_sum") || suffix.equals("_count") || suffix.equals("_created");
            case INFO -> suffix.equals("_info");
            default -> suffix.isEmpty();
        };
    }

    private void check(MetricFamily.Builder f, String name, Labels labels, double value, Exemplar exemplar) {
        switch (f.type) {
            case HISTOGRAM, GAUGEHISTOGRAM -> {
                if (name.endsWith("_bucket")) {
                    String le = labels.get("le");
                    if (le == null) {
                        throw error("histogram bucket " + name + " without an 'le' label");
                    }
                    parseStandalone(le, "le label");
                }
            }
            case SUMMARY -> {
                if (name.equals(f.name)) {
                    String q = labels.get("quantile");
                    if (q == null) {
                        throw error("summary sample " + name + " without a 'quantile' label");
                    }
                    parseStandalone(q, "quantile label");
                }
            }
            case COUNTER -> {
                if (om && name.endsWith("_total") && (value < 0 || Double.isNaN(value))) {
                    throw error("counter " + name + " must not be negative or NaN, got " + value);
                }
            }
            case STATESET -> {
                if (labels.get(f.name) == null) {
                    throw error("stateset sample " + name + " without its '" + f.name + "' label");
                }
            }
            default -> {
            }
        }
        if (exemplar != null && !(name.endsWith("_bucket") && (f.type == MetricType.HISTOGRAM || f.type == MetricType.GAUGEHISTOGRAM)
                || name.endsWith("_total") && f.type == MetricType.COUNTER)) {
            throw error("exemplar on " + name + " (only counter _total and histogram _bucket samples carry exemplars)");
        }
    }

    private void parseStandalone(String s, String what) {
        if (s.isEmpty()) {
            throw error("empty " + what);
        }
        ExpositionParser p = new ExpositionParser(s, om ? Format.OPENMETRICS_1_0_0 : Format.PROMETHEUS_0_0_4);
        p.line = line;
        p.end = s.length();
        p.parseNumber(0, s.length(), what);
    }

    /** After a token: true when another token follows on the line (one space in OpenMetrics, blanks in 0.0.4). */
    private boolean more() {
        if (pos >= end) {
            return false;
        }
        if (om) {
            if (text.charAt(pos) != ' ' || pos + 1 >= end || text.charAt(pos + 1) == ' ') {
                throw error("tokens are separated by exactly one space in OpenMetrics, and a line has no trailing space");
            }
            pos++;
            return true;
        }
        skipBlanks();
        return pos < end;
    }

    private Labels labels(char close) {
        pos++; // '{'
        labelBuffer.clear();
        while (true) {
            if (!om) {
                skipBlanks();
            }
            if (pos >= end) {
                throw error("unterminated label set");
            }
            if (text.charAt(pos) == close) {
                pos++;
                break;
            }
            int ns = pos;
            while (pos < end && isLabelChar(text.charAt(pos), pos == ns)) {
                pos++;
            }
            if (pos == ns) {
                throw error("expected a label name, found '" + excerpt(pos) + "'");
            }
            String lname = text.substring(ns, pos);
            if (!om) {
                skipBlanks();
            }
            if (pos >= end || text.charAt(pos) != '=') {
                throw error("expected '=' after label name " + lname);
            }
            pos++;
            if (!om) {
                skipBlanks();
            }
            if (pos >= end || text.charAt(pos) != '"') {
                throw error("expected '\"' to open the value of label " + lname);
            }
            pos++;
            String value = labelValue(lname);
            for (int i = 0; i < labelBuffer.size(); i += 2) {
                if (labelBuffer.get(i).equals(lname)) {
                    throw error("label " + lname + " given twice");
                }
            }
            labelBuffer.add(lname);
            labelBuffer.add(value);
            if (!om) {
                skipBlanks();
            }
            if (pos >= end) {
                throw error("unterminated label set");
            }
            char c = text.charAt(pos);
            if (c == ',') {
                pos++;
                if (om && pos < end && text.charAt(pos) == close) {
                    throw error("trailing comma in label set (not allowed in OpenMetrics)");
                }
            } else if (c != close) {
                throw error("expected ',' or '}' after the value of label " + lname + ", found '" + excerpt(pos) + "'");
            }
        }
        return labelBuffer.isEmpty() ? Labels.EMPTY : new Labels(labelBuffer.toArray(new String[0]));
    }

    private String labelValue(String lname) {
        int from = pos;
        StringBuilder sb = null;
        while (pos < end) {
            char c = text.charAt(pos);
            if (c == '"') {
                String v = sb == null ? text.substring(from, pos) : sb.append(text, from, pos).toString();
                pos++;
                return v;
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(text, from, pos);
                if (pos + 1 >= end) {
                    break;
                }
                char e = text.charAt(pos + 1);
                switch (e) {
                    case '\\' -> sb.append('\\');
                    case '"' -> sb.append('"');
                    case 'n' -> sb.append('\n');
                    default -> throw error("invalid escape '\\" + e + "' in the value of label " + lname);
                }
                pos += 2;
                from = pos;
                continue;
            }
            pos++;
        }
        throw error("unterminated value of label " + lname);
    }

    private String metricName() {
        int s = pos;
        while (pos < end) {
            char c = text.charAt(pos);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || pos > s && c >= '0' && c <= '9') {
                pos++;
            } else {
                break;
            }
        }
        int len = pos - s;
        if (len == lastName.length() && text.regionMatches(s, lastName, 0, len)) {
            return lastName; // buckets and series of one family repeat the name: keep one string
        }
        lastName = text.substring(s, pos);
        return lastName;
    }

    private static boolean isLabelChar(char c, boolean first) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || !first && c >= '0' && c <= '9';
    }

    /** A float as Go's ParseFloat reads it in exposition: decimal with exponent, NaN, [+-]Inf; no hex, no suffix. */
    private double number(String what) {
        int s = pos;
        while (pos < end && !isBlank(text.charAt(pos))) {
            pos++;
        }
        if (pos == s) {
            throw error("missing " + what);
        }
        return parseNumber(s, pos, what);
    }

    private double parseNumber(int s, int e, String what) {
        int i = s;
        boolean negative = false;
        char c = text.charAt(i);
        if (c == '+' || c == '-') {
            negative = c == '-';
            i++;
        }
        if (i < e) {
            char d = text.charAt(i);
            if (d == 'I' || d == 'i' || d == 'N' || d == 'n') {
                String word = text.substring(i, e).toLowerCase(Locale.ROOT);
                if (word.equals("inf") || word.equals("infinity")) {
                    return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
                if (word.equals("nan") && i == s) {
                    return Double.NaN;
                }
                throw badNumber(s, e, what);
            }
        }
        long mantissa = 0;
        int digits = 0;
        int fractionDigits = 0;
        boolean dot = false;
        boolean any = false;
        for (; i < e; i++) {
            char d = text.charAt(i);
            if (d >= '0' && d <= '9') {
                any = true;
                if (digits < 18) {
                    mantissa = mantissa * 10 + (d - '0');
                    if (mantissa != 0) {
                        digits++;
                    }
                    if (dot) {
                        fractionDigits++;
                    }
                } else {
                    digits = 99; // too many digits for the exact fast path
                }
            } else if (d == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (!any) {
            throw badNumber(s, e, what);
        }
        int exponent = 0;
        if (i < e) {
            char x = text.charAt(i);
            if (x != 'e' && x != 'E') {
                throw badNumber(s, e, what);
            }
            i++;
            boolean expNegative = false;
            if (i < e && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                expNegative = text.charAt(i) == '-';
                i++;
            }
            int expStart = i;
            while (i < e && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                if (exponent < 100000) {
                    exponent = exponent * 10 + (text.charAt(i) - '0');
                }
                i++;
            }
            if (i == expStart || i != e) {
                throw badNumber(s, e, what);
            }
            if (expNegative) {
                exponent = -exponent;
            }
        }
        int scale = exponent - fractionDigits;
        if (digits <= 15 && scale >= -22 && scale <= 22) {
            // Exact: both the mantissa (< 2^53) and 10^|scale| are exact doubles, one correctly rounded operation.
            double v = scale >= 0 ? mantissa * POW10[scale] : mantissa / POW10[-scale];
            return negative ? -v : v;
        }
        return Double.parseDouble(text.substring(s, e));
    }

    private long timestamp() {
        int s = pos;
        while (pos < end && !isBlank(text.charAt(pos))) {
            pos++;
        }
        if (om) {
            double seconds = parseNumber(s, pos, "timestamp");
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                throw error("timestamp must be finite, got '" + text.substring(s, pos) + "'");
            }
            return Math.round(seconds * 1000);
        }
        int i = s;
        if (i < pos && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            i++;
        }
        if (i == pos) {
            throw error("invalid timestamp '" + text.substring(s, pos) + "'");
        }
        for (int k = i; k < pos; k++) {
            char c = text.charAt(k);
            if (c < '0' || c > '9') {
                throw error("invalid timestamp '" + text.substring(s, pos) + "' (milliseconds as an integer)");
            }
        }
        if (pos - i > 18) {
            throw error("timestamp out of range '" + text.substring(s, pos) + "'");
        }
        return Long.parseLong(text, s, pos, 10);
    }

    private ExpositionFormatException badNumber(int s, int e, String what) {
        return error("invalid " + what + " '" + text.substring(s, Math.min(e, s + 40)) + "'");
    }

    /** One space in OpenMetrics; one or more blanks in 0.0.4. */
    private boolean skipSeparator() {
        if (pos >= end) {
            return false;
        }
        if (om) {
            if (text.charAt(pos) != ' ') {
                return false;
            }
            pos++;
            if (pos < end && text.charAt(pos) == ' ') {
                throw error("two spaces in a row (OpenMetrics separates tokens with one)");
            }
            return pos < end;
        }
        int s = pos;
        skipBlanks();
        return pos > s && pos < end;
    }

    private void skipBlanks() {
        while (pos < end && isBlank(text.charAt(pos))) {
            pos++;
        }
    }

    private int trimmedEnd() {
        int e = end;
        while (e > pos && isBlank(text.charAt(e - 1))) {
            e--;
        }
        return e;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private String excerpt(int at) {
        return text.substring(Math.min(at, end), Math.min(end, at + 20));
    }

    private ExpositionFormatException error(String problem) {
        return new ExpositionFormatException(line, problem);
    }
}
