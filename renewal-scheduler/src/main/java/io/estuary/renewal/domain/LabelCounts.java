package io.estuary.renewal.domain;

/** Devices tracked on one EST label and how many of their current certificates are in each late state. */
public record LabelCounts(String label, long tracked, long due, long overdue, long expired) {
}
