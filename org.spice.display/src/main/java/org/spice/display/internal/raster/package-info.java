/**
 * The client's software rasteriser: surfaces and how SPICE draw commands paint on them (raster operations, pixman's
 * Porter-Duff and sampling, masks, brushes, dashed strokes). It knows nothing of the wire: the display channel's
 * parser ({@code internal.client.DrawParser}) turns messages into calls here, so the rasteriser can be tested
 * against pixman's own results alone.
 */
package org.spice.display.internal.raster;
