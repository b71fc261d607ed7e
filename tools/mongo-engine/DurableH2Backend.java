import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * mongo-java-server's H2 backend, made durable: a command that may change data is answered only
 * after its changes are committed to the file.
 *
 * <p>Stock {@code H2Backend(String)} opens the MVStore with auto-commit on, which writes about once
 * a second in a background thread: a crash lost everything acknowledged in the last second. Here
 * the launcher opens the store itself with auto-commit off, time- and size-triggered alike, and
 * commits after each command that may write ({@link #handleCommand}: every OP_MSG command, and
 * every legacy OP_QUERY {@code $cmd}, reaches the backend through it).
 *
 * <p>Concurrency: netty runs commands of different connections at the same time, and a commit
 * snapshots every map of the store, a collection's documents and its indexes alike. Write
 * commands run under the shared side of {@link #commitLock} and a commit takes the exclusive
 * side, so a commit never lands half-way through a command (say, a document stored and its
 * unique index entry not yet): the file always holds a state between whole commands. A command
 * commits after it released the shared side, so its changes are in the commit it waits for (or
 * in an earlier one another command made). The lock is fair: a waiting commit holds back new
 * commands, and a stream of commits cannot starve them. Read-only commands take no lock: a long
 * scan does not hold back the commits of writes.
 *
 * <p>A commit writes to the file (the OS has it; it survives {@code kill -9} of this process) but
 * does not fsync: a power loss can still lose the last writes.
 */
final class DurableH2Backend extends IndexedH2Backend {

    /** Commands that never change data (lower case). Anything else is treated as a write. */
    private static final Set<String> READ_ONLY = Set.of(
        "find", "getmore", "count", "distinct", "killcursors", "listcollections", "listindexes",
        "listdatabases", "dbstats", "collstats", "validate", "explain", "ping", "ismaster", "hello",
        "buildinfo", "serverstatus", "whatsmyuri", "getlasterror", "getlog", "connectionstatus",
        "hostinfo", "getcmdlineopts", "getfreemonitoringstatus", "endsessions", "getparameter");

    private final ReadWriteLock commitLock = new ReentrantReadWriteLock(true);

    private DurableH2Backend(MVStore store) {
        super(store);
    }

    /** Opens (or creates) the H2 file, with no commit but ours; {@code -}: a store in memory. */
    static DurableH2Backend open(String fileName) {
        MVStore.Builder builder = new MVStore.Builder()
            // no background commit once a second...
            .autoCommitDisabled()
            // ...and none in the middle of a command when unsaved changes pile up
            .autoCommitBufferSize(0);
        if (!"-".equals(fileName)) {
            builder.fileName(fileName);
        }
        return new DurableH2Backend(builder.open());
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        if (isReadOnly(command, query)) {
            return super.handleCommand(channel, database, command, query);
        }
        try {
            commitLock.readLock().lock();
            try {
                return super.handleCommand(channel, database, command, query);
            } finally {
                commitLock.readLock().unlock();
            }
        } finally {
            // also after a failed command: an unordered insert may have stored part of its batch
            commitChanges();
        }
    }

    private void commitChanges() {
        if (!getMvStore().hasUnsavedChanges()) {
            return;
        }
        commitLock.writeLock().lock();
        try {
            commit();
        } catch (RuntimeException e) {
            // the MVStore closes itself after a failed write; answering anything more would be a
            // lie. Exit without the shutdown hook (it would commit again): the app restarts us
            // from the last commit, which holds every write answered so far.
            System.err.println("EmbeddedMongo: commit failed, exiting: " + e);
            Runtime.getRuntime().halt(3);
        } finally {
            commitLock.writeLock().unlock();
        }
    }

    /** True for the commands in {@link #READ_ONLY}, and for an aggregation without $out/$merge. */
    private static boolean isReadOnly(String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (name.equals("aggregate")) {
            Object pipeline = query.get("pipeline");
            return pipeline instanceof List<?> stages && stages.stream().noneMatch(
                stage -> stage instanceof Document document
                    && (document.containsKey("$out") || document.containsKey("$merge")));
        }
        return READ_ONLY.contains(name);
    }
}
