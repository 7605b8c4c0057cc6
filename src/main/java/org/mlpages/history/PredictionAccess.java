package org.mlpages.history;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A prediction shows what someone sent (their photo, their answers): the admin may see
 * every one; anybody else only those made in their own browser session, so the person who
 * just asked sees their answer and nobody can walk through the ids to see others'. An API
 * client has no session: it is given signed links with its answer instead.
 */
@Component
public class PredictionAccess {

	private static final String OWN = PredictionAccess.class.getName() + ".own";

	private static final int REMEMBERED = 200;

	private static final String LINK_SECRET = "prediction-link";

	private final SecretKeySpec linkSecret;

	private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

	/**
	 * @param linkSecret signs the links the API gives with an answer
	 * ({@code mlpages.prediction-link-secret}); when unset, one made once and kept in the
	 * database, so that a link holds on every instance and after a restart
	 */
	PredictionAccess(@Value("${mlpages.prediction-link-secret:}") String linkSecret, JdbcTemplate jdbc) {
		byte[] key = (linkSecret.isEmpty() ? generated(jdbc) : linkSecret).getBytes(StandardCharsets.UTF_8);
		this.linkSecret = new SecretKeySpec(key, "HmacSHA256");
	}

	/**
	 * The key made by whichever instance asked first: two asking at once both try to
	 * store theirs, one is refused by the primary key, and both read the one kept.
	 */
	private static String generated(JdbcTemplate jdbc) {
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		try {
			jdbc.update(
					"insert into generated_secret (name, secret) select ?, ? where not exists"
							+ " (select 1 from generated_secret where name = ?)",
					LINK_SECRET, Base64.getEncoder().encodeToString(random), LINK_SECRET);
		}
		catch (DuplicateKeyException ex) {
			// another instance stored its key between the check and the insert
		}
		return jdbc.queryForObject("select secret from generated_secret where name = ?", String.class, LINK_SECRET);
	}

	/**
	 * The key of a link to what belongs to a prediction (where the model looked), for the
	 * API's clients, which have no session: whoever holds it was given it with the
	 * answer.
	 */
	public String linkKey(long id) {
		// one Mac per thread: looking one up and keying it on every photo answer is not
		// free
		byte[] sum = macs.get().doFinal(("prediction:" + id).getBytes(StandardCharsets.UTF_8));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sum, 18));
	}

	private Mac newMac() {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(linkSecret);
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

	/** A link's key checked in constant time. */
	public boolean hasLinkKey(long id, String key) {
		return key != null && MessageDigest.isEqual(linkKey(id).getBytes(StandardCharsets.US_ASCII),
				key.getBytes(StandardCharsets.US_ASCII));
	}

	public void remember(HttpServletRequest request, long id, String storedFile) {
		HttpSession session = request.getSession(true);
		synchronized (session) {
			Set<String> own = own(session);
			own.add("id:" + id);
			if (storedFile != null) {
				own.add("file:" + storedFile);
			}
			while (own.size() > REMEMBERED) {
				own.remove(own.iterator().next());
			}
			session.setAttribute(OWN, own);
		}
	}

	public boolean canSee(HttpServletRequest request, long id) {
		return isAdmin(request) || remembered(request, "id:" + id);
	}

	public boolean canSeeUpload(HttpServletRequest request, String storedFile) {
		return isAdmin(request) || remembered(request, "file:" + storedFile);
	}

	private static boolean isAdmin(HttpServletRequest request) {
		return request.isUserInRole("ADMIN");
	}

	private static boolean remembered(HttpServletRequest request, String key) {
		HttpSession session = request.getSession(false);
		if (session == null) {
			return false;
		}
		synchronized (session) {
			return own(session).contains(key);
		}
	}

	@SuppressWarnings("unchecked")
	private static Set<String> own(HttpSession session) {
		Object own = session.getAttribute(OWN);
		return own instanceof Set<?> set ? (Set<String>) set : new LinkedHashSet<>();
	}

}
