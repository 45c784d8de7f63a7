import java.io.*; import java.nio.file.*; import java.util.*; import javax.crypto.spec.SecretKeySpec;
import io.jitsiops.backup.crypto.SegmentedAesGcm;
/**
 * Does the start-up AES-GCM warm-up still help when a restore reads through a stream shape the warm-up never used?
 * Decrypts a 192 MiB object (1 MiB segments) in a fresh JVM after: {@code none} (cold), {@code warm}
 * (SegmentedAesGcm.warmUp(60)), {@code warmfile} (a warm-up through the buffered-file shape only); twice through a
 * shape no warm-up used (a FilterInputStream below the buffer, as the S3 SDK's ResponseInputStream is), then once
 * through a buffered file.
 * Usage: java -cp 'backup-service/target/quarkus-app/app/*:backup-service/target/quarkus-app/lib/main/*' \
 *        bench/backup/WarmUpCheck.java MODE WORK_DIR        (MODE: none, warm or warmfile)
 */
public class WarmUpCheck {
  public static void main(String[] a) throws Exception {
    var key = new SecretKeySpec(new byte[32], "AES");
    Path f = Path.of(a[1], "warm-up-check.enc");
    if (!Files.exists(f)) {
      byte[] plain = new byte[1 << 20]; new Random(1).nextBytes(plain);
      try (OutputStream o = SegmentedAesGcm.encrypt(new BufferedOutputStream(Files.newOutputStream(f)), key, "k", 1 << 20)) { for (int i = 0; i < 192; i++) o.write(plain); }
    }
    if (a[0].equals("warm")) System.out.println("warm-up ms " + SegmentedAesGcm.warmUp(60));
    if (a[0].equals("warmfile")) { // the same warm-up, but over the stream shape of a restore
      long t0 = System.nanoTime();
      byte[] plain = new byte[200 * 4096];
      Path w = Path.of(a[1], "warm-up-check-small.enc");
      try (OutputStream o = SegmentedAesGcm.encrypt(new BufferedOutputStream(Files.newOutputStream(w)), key, "k", 4096)) { o.write(plain); }
      for (int i = 0; i < 60; i++) drain(SegmentedAesGcm.decrypt(new BufferedInputStream(Files.newInputStream(w), 1 << 20), id -> Optional.of(key)));
      System.out.println("warm-up over files ms " + (System.nanoTime() - t0) / 1000000);
    }
    for (int r = 0; r < 2; r++) {
      long t0 = System.nanoTime();
      // a shape the warm-up never used: a FilterInputStream subclass below the buffer, as the S3 SDK's ResponseInputStream is
      long n = drain(SegmentedAesGcm.decrypt(new BufferedInputStream(new FilterInputStream(Files.newInputStream(f)) { }, 1 << 20), id -> Optional.of(key)));
      System.out.printf("%s: decrypt (new shape) %d MB at %.0f MB/s%n", a[0], n >> 20, n / 1e6 / ((System.nanoTime() - t0) / 1e9));
    }
    for (int r = 0; r < 1; r++) {
      long t0 = System.nanoTime();
      long n = drain(SegmentedAesGcm.decrypt(new BufferedInputStream(Files.newInputStream(f), 1 << 20), id -> Optional.of(key)));
      System.out.printf("%s: decrypt (buffered file) %d MB at %.0f MB/s%n", a[0], n >> 20, n / 1e6 / ((System.nanoTime() - t0) / 1e9));
    }
  }
  static long drain(InputStream in) throws IOException { try (in) { byte[] b = new byte[1 << 20]; long t = 0; int n; while ((n = in.read(b)) > 0) t += n; return t; } }
}
