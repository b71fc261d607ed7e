import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs mongo-java-server for the app and its tests.
 *
 * <p>Out of the box the engine reports wire version 8 (MongoDB 3.6), which the MongoDB Node
 * driver 7 refuses; here it reports 4.4.0 / wire 9. Everything verified for the project was
 * verified at that version.
 *
 * <p>{@code memory} and {@code h2} are the engine with our indexes (README.md), and on H2
 * {@link DurableH2Backend}: a write is answered once it is in the file. {@code memory-stock} and
 * {@code h2-stock} are the engine as published (H2 committing once a second), for the
 * differential test and the cost-of-durability benchmark.
 *
 * <p>Usage: {@code java EmbeddedMongo <memory|h2|memory-stock|h2-stock> <h2-file|-> <host> <port>}. Port 0 picks a
 * free port. Once bound it prints one line {@code LISTENING <port>} on stdout. It stops on
 * SIGTERM/SIGINT and when its stdin closes, so it never outlives the process that started it,
 * even when that process crashes or is killed.
 */
public final class EmbeddedMongo {

    private static final MongoVersion MONGO_4_4 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 4, 0);
        }

        @Override
        public int getWireVersion() {
            return 9;
        }
    };

    private EmbeddedMongo() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: EmbeddedMongo <memory|h2|memory-stock|h2-stock> <h2-file|-> <host> <port>");
            System.exit(2);
        }
        MongoBackend backend = createBackend(args[0], args[1]);
        backend.version(MONGO_4_4);
        MongoServer server = new MongoServer(backend);
        server.bind(args[2], Integer.parseInt(args[3]));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, stopped), "engine-shutdown"));
        watchParent(System.in);

        InetSocketAddress address = server.getLocalAddress();
        System.out.println("LISTENING " + address.getPort());
        System.out.flush();
        stopped.await();
    }

    private static MongoBackend createBackend(String kind, String file) {
        switch (kind) {
            case "memory":
                return new IndexedMemoryBackend();
            case "h2":
                // our indexes, and a commit before a write is answered (stock H2 commits once a second)
                return DurableH2Backend.open(file);
            case "memory-stock":
                return new MemoryBackend();
            case "h2-stock":
                return new H2Backend(openStore(file));
            default:
                throw new IllegalArgumentException("unknown backend: " + kind);
        }
    }

    /** "-" is an H2 store in memory (the differential test uses it). */
    private static MVStore openStore(String file) {
        return MVStore.open("-".equals(file) ? null : file);
    }

    /** Exits when the parent closes our stdin, which the OS does when the parent dies. */
    private static void watchParent(InputStream stdin) {
        Thread watcher = new Thread(() -> {
            try {
                while (stdin.read() != -1) {
                    // the parent never writes; any bytes are ignored
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as end of stream
            }
            System.exit(0);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static synchronized void stop(MongoServer server, CountDownLatch stopped) {
        if (stopped.getCount() == 0) {
            return;
        }
        // shutdown() closes the backend, which commits and closes the H2 file
        server.shutdown();
        stopped.countDown();
    }
}
