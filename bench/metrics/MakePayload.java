import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A large exposition file from one real bridge page: each family's samples repeated with a distinct
 * {@code bridge} label until about MB megabytes, families kept together (as a Prometheus federation of many
 * bridges would look). Usage: java MakePayload.java IN OUT MB
 */
public class MakePayload {
    public static void main(String[] a) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(a[0]));
        long target = Long.parseLong(a[2]) * 1024 * 1024;
        long one = Files.size(Path.of(a[0]));
        int copies = (int) Math.max(1, target / Math.max(1, one));
        StringBuilder sb = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 16, target + one));
        for (int i = 0; i < lines.size();) {
            int j = i;
            while (j < lines.size() && lines.get(j).startsWith("#")) {
                sb.append(lines.get(j++)).append('\n');
            }
            int k = j;
            while (k < lines.size() && !lines.get(k).startsWith("#")) {
                k++;
            }
            for (int c = 0; c < copies; c++) {
                for (int s = j; s < k; s++) {
                    String l = lines.get(s);
                    if (l.isBlank()) {
                        continue;
                    }
                    int brace = l.indexOf('{');
                    int space = l.indexOf(' ');
                    sb.append(brace >= 0 && brace < space ? l.substring(0, brace + 1) + "bridge=\"b" + c + "\"," + l.substring(brace + 1)
                            : l.substring(0, space) + "{bridge=\"b" + c + "\"}" + l.substring(space)).append('\n');
                }
            }
            i = Math.max(k, i + 1);
        }
        Files.writeString(Path.of(a[1]), sb.toString());
    }
}
