package org.mlpages.history;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.stereotype.Component;

/**
 * A prediction shows what someone sent (their photo, their answers): the admin may see
 * every one; anybody else only those made in their own browser session, so the person who
 * just asked sees their answer and nobody can walk through the ids to see others'.
 */
@Component
public class PredictionAccess {

	private static final String OWN = PredictionAccess.class.getName() + ".own";

	private static final int REMEMBERED = 200;

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
