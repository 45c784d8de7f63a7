package io.jitsiops.backup.verify;

/** One verification check: what was checked, on which item, whether it passed, and why not. */
public record Check(String item, String check, boolean ok, String detail) {
    public static Check ok(String item, String check, String detail) {
        return new Check(item, check, true, detail);
    }

    public static Check failed(String item, String check, String detail) {
        return new Check(item, check, false, detail);
    }
}
