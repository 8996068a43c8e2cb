// A figure drawn wider than the text column is scaled down to fit: a click opens it at full size.
document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('.cell_output img').forEach(img => {
    if (img.closest('a')) return;
    const a = document.createElement('a');
    a.href = img.getAttribute('src'); a.className = 'full-size'; a.title = 'Open the figure at full size';
    img.parentNode.insertBefore(a, img); a.appendChild(img);
  });
});
