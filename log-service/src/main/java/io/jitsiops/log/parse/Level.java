package io.jitsiops.log.parse;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A log level normalised across the formats. Java's levels (jicofo, JVB) map as SEVERE → ERROR,
 * WARNING → WARN, INFO and CONFIG → INFO, FINE → DEBUG, FINER/FINEST → TRACE; prosody's debug/info/warn/error
 * and nginx's error-log levels (debug … emerg) map by name.
 */
public enum Level {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL, UNKNOWN;

    private static final Map<String, Level> BY_NAME = new HashMap<>();

    static {
        // java.util.logging names, and the localized names JitsiLogFormatter writes through
        // Level.getLocalizedName() when the JVM runs in another locale (JDK 17 bundles
        // sun/util/logging/resources/logging_{de,es,fr,it,ja,ko,pt_BR,sv,zh_CN,zh_TW}.properties).
        names(ERROR, "SEVERE", "SCHWERWIEGEND", "GRAVE", "重大", "심각", "ALLVARLIG", "严重", "嚴重");
        names(WARN, "WARNING", "WARNUNG", "AVERTISSEMENT", "AVVERTENZA", "警告", "경고", "ADVERTENCIA", "ADVERTÊNCIA",
                "VARNING");
        names(INFO, "INFO", "INFORMATION", "INFOS", "INFORMAZIONI", "情報", "정보", "INFORMACIÓN", "INFORMAÇÕES",
                "信息", "資訊", "CONFIG", "KONFIGURATION", "CONFIGURAZIONE", "構成", "구성", "CONFIGURAR",
                "CONFIGURAÇÃO", "KONFIG", "配置", "組態");
        names(DEBUG, "FINE", "FEIN", "PRÉCIS", "BUONO", "普通", "미세", "DETALLADO", "DETALHADO", "FIN", "详细", "詳細");
        names(TRACE, "FINER", "FINEST", "FEINER", "AM FEINSTEN", "PLUS PRÉCIS", "LE PLUS PRÉCIS", "MIGLIORE", "OTTIMALE",
                "最も詳細", "보다 미세", "가장 미세", "MUY DETALLADO", "MÁS DETALLADO", "MAIS DETALHADO", "O MAIS DETALHADO",
                "FINARE", "FINASTE", "较详细", "非常详细", "較詳細", "最詳細", "ALL");
        // prosody (util/logger: debug, info, warn, error), nginx error log (ngx_log.c err_levels), generic names
        names(TRACE, "TRACE");
        names(DEBUG, "DEBUG");
        names(INFO, "NOTICE");
        names(WARN, "WARN");
        names(ERROR, "ERROR", "ERR", "CRIT");
        names(FATAL, "ALERT", "EMERG", "FATAL");
    }

    private static void names(Level level, String... names) {
        for (String n : names) {
            BY_NAME.put(n, level);
            BY_NAME.put(n.toLowerCase(Locale.ROOT), level);
        }
    }

    /** The level a name stands for, UNKNOWN when none. */
    public static Level of(String name) {
        Level l = BY_NAME.get(name);
        if (l == null) {
            l = BY_NAME.get(name.toUpperCase(Locale.ROOT));
        }
        return l == null ? UNKNOWN : l;
    }

    public boolean atLeast(Level other) {
        return this != UNKNOWN && ordinal() >= other.ordinal();
    }
}
