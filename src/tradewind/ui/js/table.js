// A sortable data table. Columns describe how to read, sort and render a row; the table keeps
// its sort state across updates so live refreshes do not reset what the user chose.

import { h, setChildren } from "./dom.js";

/**
 * @param {object} options
 * @param {Array<{key:string,label:string,value?:(row)=>any,render?:(row)=>any,num?:boolean,
 *   cls?:(row)=>string,sortable?:boolean}>} options.columns
 * @param {string} options.testid         data-testid of the <table>; rows get `<testid>-row`
 * @param {string} [options.empty]        text shown when there are no rows
 * @param {(row)=>void} [options.onRowClick]
 * @param {(row)=>string} [options.rowId] value for each row's data-id
 * @param {{key:string, dir:"asc"|"desc"}} [options.sort]
 * @param {string} [options.caption]      accessible caption (visually hidden)
 */
export function dataTable({ columns, testid, empty = "Nothing to show.", onRowClick, rowId, sort, caption }) {
  let rows = [];
  let sortState = sort ? { ...sort } : null;
  const thead = h("thead");
  const tbody = h("tbody");
  const table = h(
    "table",
    { class: "data", "data-testid": testid },
    caption ? h("caption", { class: "visually-hidden" }, caption) : null,
    thead,
    tbody,
  );
  const wrap = h("div", { class: "table-wrap" }, table);

  const valueOf = (col, row) => (col.value ? col.value(row) : row[col.key]);

  function renderHead() {
    const cells = columns.map((col) => {
      const attrs = { scope: "col", class: col.num ? "num" : null };
      if (col.sortable === false) return h("th", attrs, col.label);
      const active = sortState && sortState.key === col.key;
      attrs["aria-sort"] = active ? (sortState.dir === "asc" ? "ascending" : "descending") : "none";
      return h(
        "th",
        attrs,
        h("button", { type: "button", "data-sort": col.key, onClick: () => toggleSort(col) }, col.label),
      );
    });
    setChildren(thead, h("tr", {}, cells));
  }

  function toggleSort(col) {
    if (sortState && sortState.key === col.key) {
      sortState.dir = sortState.dir === "asc" ? "desc" : "asc";
    } else {
      sortState = { key: col.key, dir: col.num ? "desc" : "asc" };
    }
    render();
  }

  function sortedRows() {
    if (!sortState) return rows;
    const col = columns.find((c) => c.key === sortState.key);
    if (!col) return rows;
    const factor = sortState.dir === "asc" ? 1 : -1;
    return [...rows].sort((a, b) => {
      const va = valueOf(col, a);
      const vb = valueOf(col, b);
      if (va === vb) return 0;
      if (va === null || va === undefined) return 1; // missing values always last
      if (vb === null || vb === undefined) return -1;
      if (typeof va === "number" && typeof vb === "number") return (va - vb) * factor;
      return String(va).localeCompare(String(vb), undefined, { numeric: true }) * factor;
    });
  }

  function renderRow(row) {
    const tr = h(
      "tr",
      { "data-testid": `${testid}-row`, "data-id": rowId ? rowId(row) : null },
      columns.map((col) => {
        const content = col.render ? col.render(row) : valueOf(col, row);
        const cls = [col.num ? "num" : "", col.cls ? col.cls(row) : ""].join(" ").trim();
        return h("td", { class: cls || null, "data-col": col.key, "data-label": col.label || null }, content ?? "");
      }),
    );
    if (onRowClick) {
      tr.classList.add("clickable");
      tr.tabIndex = 0;
      tr.addEventListener("click", (event) => {
        if (!event.target.closest("button, a, input")) onRowClick(row);
      });
      tr.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && event.target === tr) onRowClick(row);
      });
    }
    return tr;
  }

  function render() {
    renderHead();
    if (!rows.length) {
      setChildren(tbody, h("tr", {}, h("td", { class: "empty", colspan: columns.length, "data-testid": `${testid}-empty` }, empty)));
      return;
    }
    setChildren(tbody, sortedRows().map(renderRow));
  }

  render();
  return {
    el: wrap,
    update(newRows) {
      rows = newRows || [];
      render();
    },
  };
}
