package org.mlpages.image;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.mlpages.system.InputRejectedException;
import org.mlpages.system.MlPagesProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Where uploaded photos wait for their turn. A photo takes a model far longer than any
 * other request takes anything, and while it waited in one of the server's request
 * threads, a class uploading at once held them all: the About page, the credit API and
 * health queued behind the photos (a second and more with 200 clients). Here the photos
 * wait in a bounded queue for a few workers of their own, the request's thread goes back
 * to the server at once, and a photo that finds the queue full, or waits in it past
 * {@code mlpages.image.queue.max-wait}, gets a 503 with {@code Retry-After} instead of a
 * wait without end.
 */
@Component
public class PhotoQueue implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(PhotoQueue.class);

	private final MlPagesProperties.Queue settings;

	private final long maxWaitNanos;

	private final AtomicInteger threads = new AtomicInteger();

	// made at each start: a stopped context (a test's, paused) starts again
	private volatile ThreadPoolExecutor workers;

	private volatile boolean running;

	PhotoQueue(MlPagesProperties properties) {
		this.settings = properties.image().queue();
		this.maxWaitNanos = settings.maxWait().toNanos();
	}

	/**
	 * Runs the work when a worker is free.
	 * @throws InputRejectedException 503 {@code photos.busy} when the queue is full
	 */
	public <T> CompletableFuture<T> submit(Supplier<T> work) {
		CompletableFuture<T> answer = new CompletableFuture<>();
		long queuedAt = System.nanoTime();
		ThreadPoolExecutor workers = this.workers;
		if (workers == null) {
			throw busy("the server is not serving photos yet");
		}
		try {
			workers.execute(() -> {
				long waited = System.nanoTime() - queuedAt;
				if (waited > maxWaitNanos) {
					log.warn("photo refused (503 busy): it waited {} ms for a worker, {} photos behind it",
							waited / 1_000_000, workers.getQueue().size());
					answer.completeExceptionally(busy("waited " + waited / 1_000_000 + " ms for a worker"));
					return;
				}
				try {
					answer.complete(work.get());
				}
				catch (Throwable ex) {
					// the request is answered whatever happened; the advice says what
					answer.completeExceptionally(ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			log.warn("photo refused (503 busy): {} photos waiting, {} being classified", workers.getQueue().size(),
					workers.getActiveCount());
			throw busy(running ? "the photo queue is full" : "the server is stopping");
		}
		return answer;
	}

	/** Photos waiting for a worker. */
	public int waiting() {
		ThreadPoolExecutor workers = this.workers;
		return workers == null ? 0 : workers.getQueue().size();
	}

	private static InputRejectedException busy(String why) {
		return new InputRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "photos.busy", why);
	}

	@Override
	public void start() {
		workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(settings.capacity()), work -> {
					Thread thread = new Thread(work, "photo-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		running = true;
	}

	/**
	 * After the server's graceful shutdown has let the requests in progress end, and
	 * before the prediction log stops: photos still here are finished and logged.
	 */
	@Override
	public void stop() {
		running = false;
		ThreadPoolExecutor workers = this.workers;
		workers.shutdown();
		try {
			if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
				log.warn("{} photo(s) still being classified after 30 s; stopping without them",
						workers.getActiveCount());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		// the prediction log's writer stops at Integer.MIN_VALUE + 1000, after this
		return Integer.MIN_VALUE + 2000;
	}

}
