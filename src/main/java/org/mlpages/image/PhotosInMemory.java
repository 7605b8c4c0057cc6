package org.mlpages.image;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The heap the photos being classified hold at once. Each holds its bytes (twice while
 * the multipart part still has them), and from its decoding on its tensor, for as long as
 * it waits for a decoding slot and then for its batch. Under a crowd of uploads that is
 * what fills the heap (bench/memory.sh), so a photo first reserves its share of a fixed
 * budget; when there is no room it waits for photos ahead of it, in order, and past the
 * wait it is refused with a 503 that says to try again, before anything is read or
 * written.
 */
@Component
public class PhotosInMemory {

	private static final Logger log = LoggerFactory.getLogger(PhotosInMemory.class);

	private static final int KIB = 1024;

	private final Semaphore kibibytes;

	private final int budgetKib;

	private final Duration wait;

	public PhotosInMemory(MlPagesProperties properties) {
		MlPagesProperties.InMemory settings = properties.image().inMemory();
		this.budgetKib = (int) Math.min(Integer.MAX_VALUE, Math.max(1, settings.budget().toBytes() / KIB));
		this.kibibytes = new Semaphore(budgetKib, true);
		this.wait = settings.maxWait();
	}

	/**
	 * Room for a photo of {@code uploadBytes} bytes for a model whose tensor holds
	 * {@code tensorValues} floats; closed when the photo is answered or refused. A photo
	 * larger than the whole budget waits until it has the budget to itself.
	 * @throws InputRejectedException 503 {@code photos.busy} when no room came in time
	 */
	public Room reserve(long uploadBytes, long tensorValues) {
		int wanted = (int) Math.min(budgetKib, ceilKib(2 * uploadBytes + 4 * tensorValues));
		boolean granted;
		try {
			granted = kibibytes.tryAcquire(wanted, wait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			granted = false;
		}
		if (!granted) {
			log.warn("photo of {} bytes refused (503 busy): {} photos wait for room in the {} KiB for photos in memory",
					uploadBytes, kibibytes.getQueueLength(), budgetKib);
			throw new InputRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "photos.busy",
					"no room for a photo of " + uploadBytes + " bytes in the " + budgetKib
							+ " KiB of photos in memory after " + wait.toMillis() + " ms");
		}
		return new Room(wanted);
	}

	/** Photos waiting for room. */
	public int waiting() {
		return kibibytes.getQueueLength();
	}

	/** Room left, in bytes. */
	public long available() {
		return (long) kibibytes.availablePermits() * KIB;
	}

	private static long ceilKib(long bytes) {
		return Math.max(1, (bytes + KIB - 1) / KIB);
	}

	/** A photo's reserved share of the budget, given back once. */
	public final class Room implements AutoCloseable {

		private final int kib;

		private boolean released;

		private Room(int kib) {
			this.kib = kib;
		}

		@Override
		public synchronized void close() {
			if (!released) {
				released = true;
				kibibytes.release(kib);
			}
		}

	}

}
