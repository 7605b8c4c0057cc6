/**
 * Adding, replacing and retiring image models from the browser, for the administrator: an
 * uploaded Keras file becomes a draft (converted and inspected), is described (titles,
 * labels) and tried on a photo, then published into the models folder and served at once,
 * without a restart.
 */
package org.mlpages.image.admin;
