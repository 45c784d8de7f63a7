package io.jitsiops.log.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.jitsiops.log.parse.Level;
import io.jitsiops.log.parse.LogEntry;

/**
 * The categories of a rules file, and the matching of entries against them in file order (first match wins).
 * The literal prefilter runs before any regular expression: most entries are rejected by a few
 * {@code String.contains}, and a rule's pattern only runs on text that holds one of its literals.
 */
public final class CategoryRules {
    public static final String DEFAULT_RESOURCE = "/log-rules.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final List<CategoryRule.Compiled> rules;
    private final Map<String, CategoryRule> byId;
    private final Level lowestLevel;
    private final String source;

    /**
     * The literal prefilter's first pass: the two-character pairs that start some rule's literal, each mapped to one bit
     * of a 64-bit mask (1 + the bit; 0 = starts no literal). A pair is keyed by the low bytes of its two characters, so
     * two pairs may share a key and pairs may share a bit: a shared bit only lets a rule through to its exact
     * {@code String.contains} check, it never hides a match. One pass over the text then rejects most rules with one
     * {@code and} instead of a {@code contains} per literal (the default rules look for 19 literals in every INFO entry
     * of a JVB log, about 9 % of the tailer's samples in the bench's profile).
     */
    private final byte[] pairBit = new byte[1 << 16];
    /** Per rule (in order): the bits of its literals' first pairs; 0 = not filtered here (no literals, or a one-character one). */
    private final long[] ruleMask;

    private CategoryRules(List<CategoryRule.Compiled> rules, String source) {
        this.rules = rules;
        this.source = source;
        this.ruleMask = new long[rules.size()];
        int nextBit = 0;
        for (int i = 0; i < rules.size(); i++) {
            long m = 0;
            for (String l : rules.get(i).literals()) {
                if (l.length() < 2) {
                    m = 0;
                    break;
                }
                int k = pairKey(l.charAt(0), l.charAt(1));
                if (pairBit[k] == 0) {
                    pairBit[k] = (byte) (1 + nextBit++ % 64);
                }
                m |= 1L << (pairBit[k] - 1);
            }
            ruleMask[i] = m;
        }
        this.byId = rules.stream().map(CategoryRule.Compiled::rule)
                .collect(Collectors.toUnmodifiableMap(CategoryRule::id, Function.identity()));
        this.lowestLevel = rules.stream().map(c -> c.rule().minLevel()).min(Enum::compareTo).orElse(Level.FATAL);
    }

    record File(List<CategoryRule> rules) {
    }

    /** The rules of {@code file}, or the shipped default when empty. */
    public static CategoryRules load(Optional<Path> file) {
        if (file.isPresent()) {
            Path p = file.get();
            try (InputStream in = Files.newInputStream(p)) {
                return parse(in, p.toString());
            } catch (IOException e) {
                throw new InvalidRulesException("jitsiops.logs.rules-file: cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        try (InputStream in = CategoryRules.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            return parse(in, "classpath:" + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new InvalidRulesException("cannot read the default rules: " + e.getMessage(), e);
        }
    }

    public static CategoryRules parse(InputStream in, String source) {
        File f;
        try {
            f = YAML.readValue(in, File.class);
        } catch (IOException e) {
            throw new InvalidRulesException(source + ": not a valid rules file: " + e.getMessage(), e);
        }
        if (f == null || f.rules() == null || f.rules().isEmpty()) {
            throw new InvalidRulesException(source + ": rules: at least one rule is required");
        }
        Set<String> ids = new HashSet<>();
        List<CategoryRule.Compiled> compiled = new java.util.ArrayList<>();
        for (int i = 0; i < f.rules().size(); i++) {
            CategoryRule r = f.rules().get(i);
            String key = source + ": rules[" + i + "]";
            if (r == null || r.id() == null || r.id().isBlank()) {
                throw new InvalidRulesException(key + ".id: is required");
            }
            if (!ids.add(r.id())) {
                throw new InvalidRulesException(key + ".id: '" + r.id() + "' is used twice");
            }
            if (r.severity() == null) {
                throw new InvalidRulesException(key + ".severity: is required: one of info, warning, critical");
            }
            if (r.recommendation() == null || r.recommendation().isBlank()) {
                throw new InvalidRulesException(key + ".recommendation: is required");
            }
            if (r.literals().isEmpty() && r.pattern() == null) {
                throw new InvalidRulesException(key + ": needs literals or a pattern");
            }
            Pattern p = null;
            if (r.pattern() != null) {
                try {
                    p = Pattern.compile(r.pattern());
                } catch (PatternSyntaxException e) {
                    throw new InvalidRulesException(key + ".pattern: " + e.getDescription() + " in '" + r.pattern() + "'");
                }
            }
            compiled.add(new CategoryRule.Compiled(r, r.literals().toArray(String[]::new), p));
        }
        return new CategoryRules(List.copyOf(compiled), source);
    }

    /** The first rule matching the entry, or null. {@code format} is the source's format name. */
    public CategoryRule match(String format, LogEntry e) {
        if (e.level().ordinal() < lowestLevel.ordinal() || e.level() == Level.UNKNOWN) {
            return null;
        }
        String text = null;
        long textPairs = 0;
        for (int i = 0; i < rules.size(); i++) {
            CategoryRule.Compiled c = rules.get(i);
            CategoryRule r = c.rule();
            if (e.level().ordinal() < r.minLevel().ordinal() || !r.appliesTo(format)) {
                continue;
            }
            String subject;
            if (r.field() != null) {
                subject = e.fields().get(r.field());
                if (subject == null) {
                    continue;
                }
            } else {
                if (text == null) {
                    text = e.searchableText();
                    textPairs = pairs(text);
                }
                subject = text;
                if (ruleMask[i] != 0 && (textPairs & ruleMask[i]) == 0) {
                    continue; // no literal of this rule can start anywhere in the text
                }
            }
            if (c.literals().length > 0 && !containsAny(subject, c.literals())) {
                continue;
            }
            if (c.pattern() == null || c.pattern().matcher(subject).find()) {
                return r;
            }
        }
        return null;
    }

    private static int pairKey(char a, char b) {
        return (a & 0xFF) << 8 | (b & 0xFF);
    }

    /** The bits of the literals' first pairs that occur in {@code s}. */
    private long pairs(String s) {
        long m = 0;
        int n = s.length();
        if (n < 2) {
            return 0;
        }
        char prev = s.charAt(0);
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            int b = pairBit[pairKey(prev, c)];
            if (b != 0) {
                m |= 1L << (b - 1);
            }
            prev = c;
        }
        return m;
    }

    private static boolean containsAny(String s, String[] literals) {
        for (String l : literals) {
            if (s.contains(l)) {
                return true;
            }
        }
        return false;
    }

    public Optional<CategoryRule> rule(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<CategoryRule> all() {
        return rules.stream().map(CategoryRule.Compiled::rule).toList();
    }

    public String source() {
        return source;
    }
}
